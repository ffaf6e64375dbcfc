// What the Chromium webview tests share: the repository root, where Chromium is, and importing one
// of the project's TypeScript modules (bundled on the fly) to build the page or check its parts.
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const chromiumPath =
    process.env.APPRENTICE_CHROMIUM ?? process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Imports one of the project's TypeScript modules (it must not need the VS Code API). */
export async function importSource(relativePath) {
    const built = await esbuild.build({
        entryPoints: [path.join(root, relativePath)],
        bundle: true,
        format: "esm",
        platform: "node",
        write: false
    });
    return import(
        `data:text/javascript;base64,${Buffer.from(built.outputFiles[0].text).toString("base64")}`
    );
}
