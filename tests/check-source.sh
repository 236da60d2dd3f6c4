#!/bin/sh
# check-source.sh ROOT - fail on banned functions and on includes that reach up a layer.
root=${1:-.}
status=0
if grep -rnE '\b(strcpy|strcat|sprintf|vsprintf|strtok|atoi|gets)\s*\(' "$root/scanner" \
	| grep -v 'banned.h' | grep -vE '(snprintf|vsnprintf|lt_strlcpy)'; then
	echo "check-source: banned function used (see scanner/core/banned.h)"; status=1
fi
# layer table: a module may include only itself and the modules listed
allowed() {
	case $1 in
	core) echo "core" ;;
	yamlx|licensedb|http) echo "core yamlx" ;;
	evidence) echo "core yamlx" ;;
	source) echo "core http" ;;
	classify) echo "core licensedb" ;;
	record) echo "core yamlx evidence source classify licensedb" ;;
	lineage) echo "core yamlx evidence source classify licensedb record http" ;;
	obligations) echo "core licensedb" ;;
	profile) echo "core yamlx" ;;
	findings) echo "core yamlx evidence source classify licensedb record lineage obligations profile" ;;
	policy) echo "core yamlx evidence source classify licensedb record lineage obligations profile findings" ;;
	report) echo "core yamlx evidence source classify licensedb record lineage obligations profile findings policy" ;;
	fix) echo "core yamlx evidence source classify licensedb record lineage obligations profile findings" ;;
	remote) echo "core yamlx evidence source classify licensedb record lineage http" ;;
	cli) echo "*" ;;
	esac
}
for dir in "$root"/scanner/*/; do
	mod=$(basename "$dir")
	ok=$(allowed "$mod")
	[ "$ok" = "*" ] && continue
	for inc in $(grep -ho '#include "[a-z_]*/' "$dir"*.[ch] 2>/dev/null | sed 's/#include "//; s|/||' | sort -u); do
		case " $ok $mod " in
		*" $inc "*) ;;
		*) echo "check-source: scanner/$mod includes $inc/ (a higher or sideways layer)"; status=1 ;;
		esac
	done
done
[ $status -eq 0 ] && echo "1 passed, 0 failed" || echo "0 passed, 1 failed"
exit $status
