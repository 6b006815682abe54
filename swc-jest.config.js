const fs = require('fs');
const path = require('path');
const swcrc = JSON.parse(fs.readFileSync(path.join(__dirname, '.swcrc'), 'utf8'));
delete swcrc.$schema;
swcrc.jsc.baseUrl = __dirname;
module.exports = { ...swcrc, swcrc: false };
