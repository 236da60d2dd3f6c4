/*
 * html_script.c - the HTML report's one inline script and its hash for the
 * page's Content-Security-Policy (script-src 'sha256-...': no other script runs).
 *
 * The page works without it: the inventory table is in scan order with its
 * controls hidden, folded lineage lists are open. With it:
 *   - the inventory table (#inv) sorts on a click on a column header and filters
 *     by text and by verdict; a URL fragment "#sort=-errors&q=apache&v=fail"
 *     sets the same (a link to a view; the tests drive the page with it);
 *   - folded lineage lists (details.grp) start closed and open on a click on
 *     their box in the picture; every <details> opens before printing;
 *   - each picture (.pic) gets data-fit="yes" when it and its root box lie
 *     inside the window's width (what the tests check).
 */
#include "html.h"
#include "core/digest.h"

#include <string.h>

#include "core/banned.h"

const char html_script[] =
	"(function(){'use strict';var d=document;d.documentElement.setAttribute('data-js','1');"
	"function frag(){var o={};location.hash.slice(1).split('&').forEach(function(p){"
	"var i=p.indexOf('=');if(i>0)o[decodeURIComponent(p.slice(0,i))]=decodeURIComponent(p.slice(i+1));});"
	"return o;}"
	"var g=d.querySelectorAll('details.grp'),i;for(i=0;i<g.length;i++)g[i].open=false;"
	"d.addEventListener('click',function(e){var a=e.target.closest&&e.target.closest('[data-g]');"
	"if(!a)return;var t=d.getElementById(a.getAttribute('data-g'));if(t){t.open=true;t.scrollIntoView();}});"
	"window.addEventListener('beforeprint',function(){var a=d.querySelectorAll('details');"
	"for(var j=0;j<a.length;j++)a[j].open=true;});"
	"function fit(){var w=d.documentElement.clientWidth,p=d.querySelectorAll('.pic');"
	"for(var j=0;j<p.length;j++){var s=p[j].querySelector('svg'),r=s.getBoundingClientRect(),"
	"o=s.querySelector('.root'),ok=r.left>=0&&r.right<=w+0.5;"
	"if(o){var q=o.getBoundingClientRect();ok=ok&&q.left>=0&&q.right<=w+0.5;}"
	"p[j].setAttribute('data-fit',ok?'yes':'no');p[j].setAttribute('data-width',Math.round(r.width));}}"
	"fit();window.addEventListener('resize',fit);"
	"var t=d.getElementById('inv');if(!t)return;"
	"var tb=t.tBodies[0],rows=[].slice.call(tb.rows),th=t.tHead.rows[0].cells,key=null,desc=false,"
	"q=d.getElementById('invq'),vs=d.getElementById('invv'),n=d.getElementById('invn');"
	"d.getElementById('invctl').hidden=false;"
	"function val(r,c){var x=r.cells[c],s=x.getAttribute('data-s');"
	"return s!==null?s:x.textContent.trim().toLowerCase();}"
	"function sort(k,dsc){var c=-1,j;for(j=0;j<th.length;j++)if(th[j].getAttribute('data-k')===k)c=j;"
	"if(c<0)return;var num=th[c].hasAttribute('data-num');"
	"rows.sort(function(a,b){var x=val(a,c),y=val(b,c),r=num?parseFloat(x)-parseFloat(y):(x<y?-1:x>y?1:0);"
	"if(!r)r=a.getAttribute('data-i')-b.getAttribute('data-i');else if(dsc)r=-r;return r;});"
	"rows.forEach(function(r){tb.appendChild(r);});"
	"for(j=0;j<th.length;j++)th[j].setAttribute('aria-sort',j===c?(dsc?'descending':'ascending'):'none');"
	"key=k;desc=dsc;t.setAttribute('data-sorted',(dsc?'-':'')+k);}"
	"function filter(){var s=q.value.trim().toLowerCase(),v=vs.value,m=0;rows.forEach(function(r){"
	"var ok=(!s||r.textContent.toLowerCase().indexOf(s)>=0)&&(!v||r.getAttribute('data-v')===v);"
	"r.hidden=!ok;m+=ok?1:0;});n.textContent=m+' of '+rows.length+' shown';}"
	"for(i=0;i<th.length;i++)(function(h){var b=d.createElement('button');b.type='button';"
	"b.textContent=h.textContent;h.textContent='';h.appendChild(b);b.addEventListener('click',function(){"
	"var k=h.getAttribute('data-k');sort(k,key===k?!desc:false);});})(th[i]);"
	"q.addEventListener('input',filter);vs.addEventListener('change',filter);"
	"function apply(){var o=frag();if(o.sort)sort(o.sort.replace(/^-/,''),o.sort.charAt(0)==='-');"
	"if(o.q!==undefined)q.value=o.q;if(o.v!==undefined)vs.value=o.v;filter();}"
	"apply();window.addEventListener('hashchange',apply);})();";

static void base64(const unsigned char *in, size_t n, char *out)
{
	static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t o = 0;

	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)in[i] << 16 | (i + 1 < n ? (unsigned)in[i + 1] << 8 : 0) |
			     (i + 2 < n ? in[i + 2] : 0);
		out[o++] = a[v >> 18 & 63];
		out[o++] = a[v >> 12 & 63];
		out[o++] = i + 1 < n ? a[v >> 6 & 63] : '=';
		out[o++] = i + 2 < n ? a[v & 63] : '=';
	}
	out[o] = 0;
}

void html_script_hash(char *out, size_t size)
{
	struct lt_sha256 c;
	unsigned char md[LT_SHA256_LEN];
	char b64[48];

	lt_sha256_init(&c);
	lt_sha256_update(&c, html_script, strlen(html_script));
	lt_sha256_final(&c, md);
	base64(md, sizeof(md), b64);
	if (size)
		out[0] = 0;
	if (size > strlen(b64) + 10) {
		memcpy(out, "'sha256-", 8);
		memcpy(out + 8, b64, strlen(b64));
		memcpy(out + 8 + strlen(b64), "'", 2);
	}
}
