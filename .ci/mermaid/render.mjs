// render.mjs FILE...: renders every Mermaid diagram with the real `mermaid` package (pinned in package.json)
// in a real browser: Debian's Chromium ($CHROMIUM, default /usr/bin/chromium) driven by playwright-core.
// A file is a bare diagram, or Markdown whose ```mermaid blocks are rendered one by one.
//
// Mermaid runs with its default configuration, so its default limits apply (maxTextSize 50000 characters,
// maxEdges 500), as on a page that renders the generated README. A diagram fails when:
//   - mermaid throws (syntax error, "Edge limit exceeded", ...);
//   - the SVG it draws is an error diagram (over maxTextSize, mermaid draws a message instead of throwing);
//   - a label breaks a line inside a word (the browser measures where each character is laid out).
// Prints one line per diagram (type, size, labels) and "mermaid: N rendered, M failed"; exit 1 on any
// failure or when no diagram was found. MERMAID_PNG_DIR=DIR also writes a PNG of each diagram there.
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, join } from "node:path";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const mermaidJs = require.resolve("mermaid/dist/mermaid.min.js");
const mermaidVersion = require("mermaid/package.json").version;

function diagramsOf(file) {
  const text = readFileSync(file, "utf8");
  if (!/\.md$/i.test(file)) return [{ where: file, text }];
  const out = [];
  const re = /^```mermaid[ \t]*\n([\s\S]*?)^```/gm;
  let m;
  while ((m = re.exec(text)) !== null) {
    const line = text.slice(0, m.index).split("\n").length;
    out.push({ where: `${file}:${line}`, text: m[1] });
  }
  if (out.length === 0) out.push({ where: file, text: null });
  return out;
}

// Runs in the page: renders one diagram into the body and inspects what the browser laid out.
async function renderInPage([id, text]) {
  document.body.innerHTML = "";
  let svg;
  try {
    ({ svg } = await window.mermaid.render(id, text));
  } catch (e) {
    return { error: String((e && e.message) || e) };
  }
  document.body.innerHTML = svg;
  const el = document.querySelector("svg");
  if (!el) return { error: "mermaid returned no SVG" };
  const bare = el.cloneNode(true);
  bare.querySelectorAll("style").forEach((n) => n.remove());
  const shown = (bare.textContent || "").replace(/\s+/g, " ");
  if (el.getAttribute("aria-roledescription") === "error" || /Syntax error in text|Maximum text size in diagram exceeded/.test(shown)) {
    return { error: `mermaid drew an error diagram: ${shown.trim().slice(0, 200)}` };
  }
  // Where each character of each label lands: a new line that starts between two non-space
  // characters of one text node is a break inside a word.
  const broken = [];
  let labels = 0;
  for (const label of el.querySelectorAll(".nodeLabel, .edgeLabel, .label")) {
    if (label.querySelector(".nodeLabel, .edgeLabel")) continue; // inspect the innermost only
    labels++;
    const walker = document.createTreeWalker(label, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const s = node.data;
      let prevTop = null;
      let prevChar = " ";
      for (let i = 0; i < s.length; i++) {
        const r = document.createRange();
        r.setStart(node, i);
        r.setEnd(node, i + 1);
        const rects = r.getClientRects();
        if (rects.length === 0) { prevChar = " "; continue; }
        const top = rects[0].top;
        if (prevTop !== null && top > prevTop + 2 && !/\s/.test(prevChar) && !/\s/.test(s[i])) {
          const from = s.lastIndexOf(" ", i) + 1;
          const to = s.indexOf(" ", i);
          broken.push(s.slice(from, to < 0 ? s.length : to));
        }
        prevTop = top;
        prevChar = s[i];
      }
    }
  }
  const box = el.getBoundingClientRect();
  return {
    type: el.getAttribute("aria-roledescription") || "?",
    width: Math.round(box.width),
    height: Math.round(box.height),
    labels,
    broken,
    chars: text.length,
    edges: el.querySelectorAll(".edgePaths path, path.flowchart-link").length,
  };
}

const files = process.argv.slice(2);
const pngDir = process.env.MERMAID_PNG_DIR;
if (pngDir) mkdirSync(pngDir, { recursive: true });
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
const browser = await chromium.launch({
  executablePath,
  args: [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
  ],
});
const version = browser.version();
const page = await browser.newPage({ viewport: { width: 1600, height: 1200 } });
await page.setContent("<!doctype html><html><head><meta charset='utf-8'></head><body></body></html>");
await page.addScriptTag({ path: mermaidJs });
// Only startOnLoad is changed: every limit stays at mermaid's default.
await page.evaluate(() => window.mermaid.initialize({ startOnLoad: false }));
const limits = await page.evaluate(() => {
  const c = window.mermaid.mermaidAPI.getConfig();
  return { maxTextSize: c.maxTextSize, maxEdges: c.maxEdges };
});
console.log(`mermaid ${mermaidVersion} in Chromium ${version}; limits: maxTextSize ${limits.maxTextSize}, maxEdges ${limits.maxEdges}`);

let rendered = 0;
let failed = 0;
let n = 0;
for (const file of files) {
  for (const d of diagramsOf(file)) {
    n++;
    if (d.text === null) {
      failed++;
      console.log(`FAIL ${d.where}: no \`\`\`mermaid block`);
      continue;
    }
    const r = await page.evaluate(renderInPage, [`d${n}`, d.text]);
    if (r.error) {
      failed++;
      console.log(`FAIL ${d.where}: ${r.error.split("\n").slice(0, 4).join("\n     ")}`);
      continue;
    }
    const what = `${r.type}, ${r.chars} chars, ${r.edges} edges, ${r.labels} labels, ${r.width}x${r.height} px`;
    if (r.broken.length > 0) {
      failed++;
      console.log(`FAIL ${d.where} (${what}): label lines break inside words: ${[...new Set(r.broken)].join(", ")}`);
      continue;
    }
    if (pngDir) {
      await page.locator("svg").first().screenshot({ path: join(pngDir, `${n}-${basename(file)}.png`) });
    }
    rendered++;
    console.log(`ok   ${d.where} (${what})`);
  }
}
await browser.close();
console.log(`mermaid: ${rendered} diagrams rendered, ${failed} failed`);
process.exit(failed > 0 || rendered === 0 ? 1 : 0);
