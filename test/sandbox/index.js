'use strict';
/** Everything the sandbox exports, for `require('test/sandbox')` / `import ... from '../sandbox'`. */
module.exports = {
	...require('./server'),
	...require('./webhook'),
	...require('./openapi/extract'),
};
