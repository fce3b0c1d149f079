// @actions/cache as a bundle of its own (dist/action/actions-cache.js): scripts/build.mjs says why.
export * from '@actions/cache';
