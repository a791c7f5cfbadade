/**
 * The version of the comparison rules: how values are read, how pairs relate, how facets get their
 * status. Raise it by one with every change to src/compare that changes what a comparison says;
 * stored summaries made under another version are then made again rather than trusted.
 * test/compare.version.test.ts fails when the output on a fixed corpus changes and this does not.
 */
export const COMPARISON_RULES_VERSION = 5;
