// Benchmark: what verifying a 10 MB Tartan webhook costs over the HMAC it cannot avoid.
//
// Measures, in one run and interleaved (this machine is shared and noisy), the
// built verifySignature() on a 10 MB body against a bare
// createHmac('sha256', key).update(buf).digest() of the same buffer, and prints
// the ratio of their medians. Target: <= 1.10.
//
// Run: npm run build && npm run bench:signature   (ROUNDS=60 SIZE_MB=10 to change the workload)
import { createHmac, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { verifySignature } = require('../dist/nodes/TartanTrigger/verifySignature.js');

const ROUNDS = Number(process.env.ROUNDS ?? 40);
const SIZE = Number(process.env.SIZE_MB ?? 10) * 1024 * 1024;
const TARGET = 1.1;

const key = randomBytes(24).toString('base64url');
const body = randomBytes(SIZE);
const signature = createHmac('sha256', key).update(body).digest('hex');

const bare = () => createHmac('sha256', key).update(body).digest();
const verify = () => {
	const result = verifySignature({ rawBody: body, signature, appSecretKey: key });
	if (!result.valid) throw new Error('benchmark body did not verify');
};

const time = (fn) => {
	const start = process.hrtime.bigint();
	fn();
	return Number(process.hrtime.bigint() - start) / 1e6;
};
const median = (xs) => {
	const s = [...xs].sort((a, b) => a - b);
	return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

for (let i = 0; i < 5; i++) { bare(); verify(); } // warm-up

const bareMs = [];
const verifyMs = [];
for (let i = 0; i < ROUNDS; i++) {
	// Alternate the order so neither side always runs second.
	if (i % 2) { bareMs.push(time(bare)); verifyMs.push(time(verify)); }
	else { verifyMs.push(time(verify)); bareMs.push(time(bare)); }
}

const ratio = median(verifyMs) / median(bareMs);
console.log(`body: ${(SIZE / 1048576).toFixed(1)} MB, rounds: ${ROUNDS}`);
console.log(`bare createHmac median: ${median(bareMs).toFixed(2)} ms`);
console.log(`verifySignature median: ${median(verifyMs).toFixed(2)} ms`);
console.log(`ratio verifySignature / bare HMAC: ${ratio.toFixed(3)} (target <= ${TARGET})`);
process.exitCode = ratio <= TARGET ? 0 : 1;
