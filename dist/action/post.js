require('./index.js').post();
