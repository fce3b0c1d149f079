require('./index.js').main();
