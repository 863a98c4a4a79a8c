// Synthetic employee records with realistic sensitive values (Verhoeff-valid
// Aadhaar numbers, PANs, UANs, bank accounts, +91 mobiles, personal emails),
// shaped like Tartan's documented employee record, and signed deliveries of
// them. Every value is random per run and recorded, so a scan can look for
// each one afterwards. (The sandbox's sender puts Tartan's own `************`
// in these fields: nothing there to leak.)
import { createHmac, randomInt } from 'node:crypto';

// Verhoeff tables (UIDAI's check digit), written out here independently of the node's copy
const D = [
	[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6], [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
	[4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1], [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
	[8, 7, 6, 5, 9, 3, 2, 1, 0, 4], [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const P = [
	[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4], [5, 8, 0, 3, 7, 9, 6, 1, 4, 2], [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
	[9, 4, 5, 3, 1, 2, 7, 6, 8, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1], [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];
const INV = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9];

const digits = (n) => Array.from({ length: n }, () => randomInt(10)).join('');
const letters = (n) => Array.from({ length: n }, () => String.fromCharCode(65 + randomInt(26))).join('');

export function aadhaarNumber() {
	const body = String(2 + randomInt(8)) + digits(10);
	let c = 0;
	for (let i = 0; i < body.length; i++) c = D[c][P[(i + 1) % 8][Number(body[body.length - 1 - i])]];
	return body + INV[c];
}

const spaced = (aadhaar) => `${aadhaar.slice(0, 4)} ${aadhaar.slice(4, 8)} ${aadhaar.slice(8)}`;

const FIRST = ['Asha', 'Diya', 'Kavya', 'Neha', 'Isha', 'Aarav', 'Vihaan', 'Kabir', 'Arjun', 'Rohan', 'Meera', 'Tara'];
const FATHERS = ['Suresh', 'Ramesh', 'Mahesh', 'Dinesh', 'Naresh', 'Rajesh', 'Mukesh', 'Umesh', 'Ganesh', 'Hitesh', 'Paresh', 'Yogesh'];
const SURNAMES = ['Verma', 'Iyer', 'Nair', 'Shah', 'Rao', 'Gupta', 'Menon', 'Das', 'Kulkarni', 'Reddy', 'Bose', 'Pillai'];

/** `count` people: their record (Tartan's keys) and the sensitive values in it, by field. */
export function makePeople(count) {
	return Array.from({ length: count }, (_, i) => {
		const surname = SURNAMES[i % SURNAMES.length];
		const tag = digits(4);
		const sensitive = {
			aadhar: aadhaarNumber(),
			pan: `${letters(3)}P${surname[0]}${digits(4)}${letters(1)}`,
			uan: `100${digits(9)}`,
			mobileNumber: `${6 + randomInt(4)}${digits(9)}`,
			accountNumber: `${1 + randomInt(9)}${digits(13)}`,
			personalEmail: `${FIRST[i % FIRST.length].toLowerCase()}.${surname.toLowerCase()}.${tag}@example.org`,
			dob: `19${70 + randomInt(30)}-0${1 + randomInt(9)}-1${randomInt(10)}`,
			fatherName: `${FATHERS[i % FATHERS.length]} ${surname} ${letters(3)}`,
			addressLine: `${1 + randomInt(900)} Lane ${tag}, ${letters(6)} Nagar`,
			remarksAadhaar: aadhaarNumber(),
		};
		const record = {
			name: `${FIRST[i % FIRST.length]} ${surname}`,
			email: `e${1000 + i}@corp.example.com`,
			employeeId: `E${1000 + i}`,
			id: String(5000 + i),
			status: 'Active',
			dob: sensitive.dob,
			pan: sensitive.pan,
			personalEmail: sensitive.personalEmail,
			fatherName: sensitive.fatherName,
			bloodGroup: 'O +ve',
			mobileNumber: sensitive.mobileNumber,
			aadhar: sensitive.aadhar,
			uan: sensitive.uan,
			department: 'Engineering',
			bankDetails: { accountNumber: sensitive.accountNumber, ifscCode: 'HDFC0001234', bankName: 'HDFC' },
			currentAddress: { addressPincode: '560080', addressCity: 'Bengaluru', addressState: 'Karnataka', addressCountry: 'India', addressLine: sensitive.addressLine },
			// A field nobody lists, holding an Aadhaar number in text (the detector's case)
			remarks: `KYC verified with Aadhaar ${spaced(sensitive.remarksAadhaar)}`,
		};
		return { record, sensitive };
	});
}

/** Every raw value to search for (each as sent, and the spaced Aadhaar's digits alone too). */
export function needlesOf(people) {
	const out = {};
	people.forEach(({ sensitive }, i) => {
		for (const [field, value] of Object.entries(sensitive)) out[`${field}#${i}`] = value;
		out[`remarksAadhaarSpaced#${i}`] = spaced(sensitive.remarksAadhaar);
	});
	return out;
}

/** A Tartan employee.add webhook of these records: the bytes and their signature. */
export function signedDelivery(records, appSecretKey, { counter = 1, session = 'pd-session' } = {}) {
	const payload = {
		syncSessionId: session,
		webhookCounter: counter,
		requestId: `${session}-${counter}-${digits(6)}`,
		orgId: 'f47ac10b-58cc-4372-a567-0e02b2c3d479',
		'vendor.orgId': '3fa85f64-5717-4562-b3fc-2c963f66afa6',
		event: 'sync.events.employee.add',
		eventType: 'sync.events.delta',
		recordCount: records.length,
		body: records,
		timeStamp: '',
	};
	const bytes = Buffer.from(JSON.stringify(payload, null, 4), 'utf8');
	return { payload, bytes, signature: createHmac('sha256', appSecretKey).update(bytes).digest('hex') };
}

/** POSTs a signed delivery as Tartan does; resolves to { status, body }. */
export async function send(url, { bytes, signature }) {
	const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'tartan-signature': signature }, body: bytes });
	return { status: res.status, body: await res.text() };
}

/** The token the trigger's Pseudonymise gives an Aadhaar number: recomputed here from the documented formula. */
export function expectedAadhaarToken(key, aadhaar) {
	const mac = createHmac('sha256', key).update(`tartan-pseudonym:v1:aadhaar:${aadhaar.replace(/\D/g, '')}`).digest('hex');
	return `tkn_${mac.slice(0, 32)}`;
}

export { spaced as spacedAadhaar };
