// Renders media/icon.svg to media/icon.png (128x128, transparent corners) with headless Chromium.
// Usage: node scripts/render-icon.mjs   (Chromium from APPRENTICE_CHROMIUM or /usr/bin/chromium)
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const svg = readFileSync(path.join(root, "media", "icon.svg"), "utf8");
const browser = await chromium.launch({
    executablePath: process.env.APPRENTICE_CHROMIUM ?? "/usr/bin/chromium"
});
try {
    const page = await browser.newPage({
        viewport: { width: 128, height: 128 },
        deviceScaleFactor: 1
    });
    await page.setContent(
        `<html><body style="margin:0;background:transparent">${svg}</body></html>`
    );
    await page
        .locator("svg")
        .screenshot({ path: path.join(root, "media", "icon.png"), omitBackground: true });
} finally {
    await browser.close();
}
console.log("media/icon.png written");
