// What the e2e suites share for Tartan Sync Callback (single process and
// queue mode): the files a Code node makes for the multipart workflow, and
// how a recorded multipart part is described and compared.
import { createHash } from 'node:crypto';

// The file the Code node makes: UTF-8 with a BOM, CRLF line ends, non-ASCII
// text, under a non-ASCII file name (umlaut, en dash, CJK).
export const CSV_TEXT = '\ufeffemployeeId,name,email\r\n14,Zoë Fernandes,zoe@tartanhq.com\r\n15,"山田, 太郎",taro@tartanhq.com\r\n';
export const CSV_NAME = 'Gehälter Zoë 2025 – 山田.csv';
export const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

/** A multipart part as recorded by the sandbox (busboy), in a form deepEqual and reports can use. */
export function describePart(part) {
	if (!('data' in part)) return { name: part.name, value: part.value };
	return { name: part.name, filename: part.filename, mimeType: part.mimeType, bytes: part.data.length, sha256: sha256(part.data) };
}

export function sha256(buffer) {
	return createHash('sha256').update(buffer).digest('hex');
}

/** The parts Tartan must receive for `employee` and the two files, in order (described as describePart does). */
export function expectedMultipartParts(employee) {
	const csvBytes = Buffer.from(CSV_TEXT, 'utf8');
	return [
		{ name: 'name', value: employee.name },
		{ name: 'email', value: employee.email },
		{ name: 'employeeId', value: employee.employeeId },
		{ name: 'file', filename: CSV_NAME, mimeType: 'text/csv', bytes: csvBytes.length, sha256: sha256(csvBytes) },
		{ name: 'blob', filename: 'all-bytes.bin', mimeType: 'application/octet-stream', bytes: 256, sha256: sha256(ALL_BYTES) },
	];
}
