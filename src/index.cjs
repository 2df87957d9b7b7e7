// The build entry for ncc; the action itself is src/index.ts. A .cjs entry makes ncc emit a
// CommonJS bundle, which Node starts about 3 ms (a sixth of `node -e 0`) sooner than the same code
// as an ES module: every step pays that (README, Performance). `npm run bundle` then names it
// dist/index.js, beside a dist/package.json that says "commonjs".
require('./index.ts')
