// validate-cdx.js - check CycloneDX 1.6 JSON files with the official
// @cyclonedx/cyclonedx-library strict validator (JSON schema, no extra keys).
// Usage: NODE_PATH=<dir>/node_modules node validate-cdx.js FILE...
// Prints one line per file; exits 1 when any file is invalid.
'use strict';
const fs = require('fs');
const CDX = require('@cyclonedx/cyclonedx-library');

(async () => {
	const v = new CDX.Validation.JsonStrictValidator(CDX.Spec.Version.v1dot6);
	let bad = 0;
	for (const f of process.argv.slice(2)) {
		const errors = await v.validate(fs.readFileSync(f, 'utf8'));
		if (errors === null) {
			console.log(`valid: ${f}`);
		} else {
			bad++;
			console.log(`INVALID: ${f}: ${JSON.stringify(errors).slice(0, 2000)}`);
		}
	}
	process.exit(bad ? 1 : 0);
})().catch((e) => {
	console.log(`error: ${e && e.message ? e.message : e}`);
	process.exit(2);
});
