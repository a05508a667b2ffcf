// Builds static/marketplace/storefront.css and its icon fonts (run by `make css`):
// Oscar's stock stylesheet (Bootstrap 4 + Oscar + Font Awesome, ~280 KB) reduced
// by PurgeCSS to the selectors that the storefront's templates, scripts and form
// code use, and Font Awesome's fonts (~130 KB) subset to the icons left in it.
// The output is committed, so `make run` and deploys need no Node.
// Usage: node build.mjs <oscar package dir> <repository root>
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { PurgeCSS } from "purgecss";
import subsetFont from "subset-font";

const [oscarDir, root] = process.argv.slice(2).map((p) => path.resolve(p));
if (!oscarDir || !root) {
  console.error("usage: node build.mjs <oscar package dir> <repository root>");
  process.exit(2);
}
const oscarStatic = path.join(oscarDir, "static/oscar");
const out = path.join(root, "static/marketplace");
const fontsOut = path.join(out, "fonts");

const content = [
  // Storefront templates: ours and Oscar's (not the dashboard's, which keeps
  // Oscar's own dashboard.css).
  `${root}/templates/**/*.html`,
  `${oscarDir}/templates/oscar/**/*.html`,
  // Classes set or toggled by scripts.
  `${root}/static/marketplace/*.js`,
  `${oscarStatic}/js/oscar/ui.js`,
  // Classes that Python code puts in pages: form widgets, template tags, and
  // values templates print into class="" (stock availability codes: "instock").
  `${root}/*/*.py`,
  `${root}/*/templatetags/*.py`,
  `${oscarDir}/forms/**/*.py`,
  `${oscarDir}/templatetags/*.py`,
  `${oscarDir}/apps/*/*.py`,
];
const skip = [`${root}/templates/oscar/dashboard/**`, `${oscarDir}/templates/oscar/dashboard/**`];

const [result] = await new PurgeCSS().purge({
  content,
  skippedContentGlobs: skip,
  css: [`${oscarStatic}/css/styles.css`],
  // Class names are words with dashes; the default extractor also splits on ":".
  defaultExtractor: (text) => text.match(/[\w-/:]+(?<!:)/g) || [],
  safelist: {
    // Set by Bootstrap's scripts (not scanned: they name every component's
    // classes) and ours at run time, never written in a template.
    standard: [
      "show", "showing", "active", "disabled", "fade", "collapse", "collapsing",
      "is-invalid", "is-valid", "modal-open", "modal-backdrop", "modal-static",
      "dropdown-menu-right", "dropup", "dropright", "dropleft",
    ],
    greedy: [/^carousel-item-/, /^alert-/, /^text-(danger|success)$/],
  },
  // Not fontFace: Font Awesome names its family through a variable, which
  // PurgeCSS does not follow, and would drop the icon fonts.
  keyframes: true,
});

// Font Awesome: the codepoints of the icon classes that survived.
const codepoints = new Set();
for (const [, hex] of result.css.matchAll(/--fa:\s*"\\([0-9a-fA-F]+)"/g)) {
  codepoints.add(String.fromCodePoint(parseInt(hex, 16)));
}
const text = [...codepoints].join("");
mkdirSync(fontsOut, { recursive: true });
let css = result.css;
for (const name of ["fa-solid-900", "fa-regular-400"]) {
  const font = readFileSync(`${oscarStatic}/webfonts/${name}.woff2`);
  const subset = await subsetFont(font, text, { targetFormat: "woff2" });
  writeFileSync(path.join(fontsOut, `${name}-subset.woff2`), subset);
  css = css.replaceAll(`../webfonts/${name}.woff2`, `fonts/${name}-subset.woff2`);
  console.log(`${name}: ${font.length} -> ${subset.length} bytes`);
}
// Icons show at once from the small subset; no invisible text while it loads.
css = css.replaceAll("font-display: block", "font-display: swap");
// Source-map comment would point at Oscar's map, which is not beside our file.
css = css.replace(/\/\*# sourceMappingURL=[^*]*\*\//g, "");

const header =
  "/* Built by `make css` (tools/css/build.mjs) from django-oscar's static/oscar/css/styles.css\n" +
  "   (Bootstrap 4, Oscar, Font Awesome Free: fonts SIL OFL 1.1, code MIT, icons CC BY 4.0),\n" +
  "   purged to the selectors the storefront uses. Do not edit: re-run `make css`. */\n";
writeFileSync(path.join(out, "storefront.css"), header + css);
const before = readFileSync(`${oscarStatic}/css/styles.css`).length;
console.log(`styles.css: ${before} -> ${css.length} bytes; ${codepoints.size} icons`);
