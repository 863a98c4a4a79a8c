import { randomBytes } from 'crypto';

export type MultipartPart =
	| { name: string; value: string }
	| { name: string; filename: string; contentType: string; data: Buffer };

/**
 * Quotes a name or file name for a Content-Disposition header the way browsers
 * do for multipart/form-data (WHATWG HTML): `"` and line breaks are
 * percent-encoded; other characters, non-ASCII included, are sent as UTF-8
 * (RFC 7578, section 4.2).
 */
function quote(value: string): string {
	return `"${value.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}"`;
}

/**
 * Encodes multipart/form-data into one Buffer. The Tartan nodes build multipart
 * bodies here rather than with the `form-data` package, which a community node
 * cannot depend on: the bytes are sent as they are through n8n's
 * httpRequestWithAuthentication, with the boundary in the Content-Type header.
 */
export function encodeMultipart(parts: MultipartPart[], boundary = `----n8nTartan${randomBytes(12).toString('hex')}`) {
	const chunks: Buffer[] = [];
	for (const part of parts) {
		let head = `--${boundary}\r\nContent-Disposition: form-data; name=${quote(part.name)}`;
		if ('data' in part) {
			head += `; filename=${quote(part.filename)}\r\nContent-Type: ${part.contentType.replace(/[\r\n]/g, '')}`;
		}
		chunks.push(Buffer.from(`${head}\r\n\r\n`, 'utf8'));
		chunks.push('data' in part ? part.data : Buffer.from(part.value, 'utf8'));
		chunks.push(Buffer.from('\r\n', 'utf8'));
	}
	chunks.push(Buffer.from(`--${boundary}--\r\n`, 'utf8'));
	return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}
