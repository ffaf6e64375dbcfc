// node-llama-cpp's JavaScript for a .vsix: its ~300 ESM files and ~100 dependency packages (about 870
// .js files, which vsce warns about) bundled into its two entry points, written where the originals
// were (node_modules/node-llama-cpp/dist/...), next to its own package.json and llama/ folder.
//
// node-llama-cpp finds its package.json, its llama/ folder and its binaries relative to the file
// that asks (`import.meta.url` with "..", at different depths), and re-runs
// dist/bindings/utils/testBindingBinary.js in a child process to try a binary safely. So each
// `import.meta.url` is replaced by the URL its module had before bundling (relative to the bundle,
// which sits where the entry was), and testBindingBinary.js is an entry point of its own. The
// binary packages (@node-llama-cpp/*) stay separate: node-llama-cpp imports them by name at run
// time, and the engine's resolve hook can point those names at downloaded builds.
import * as esbuild from "esbuild";
import { readFile } from "node:fs/promises";
import * as path from "node:path";

/** The files node-llama-cpp imports or runs by path: each becomes one bundle at the same place. */
export const NODE_LLAMA_CPP_ENTRIES = ["dist/index.js", "dist/bindings/utils/testBindingBinary.js"];

/**
 * Imported by name at run time, or only in runtimes we are not (Electron, single executables), or
 * optional: ipull's `import("@reflink/reflink")` (a native file-cloning speed-up for local copies)
 * is in a try/catch and is not shipped.
 */
const EXTERNAL = ["@node-llama-cpp/*", "electron", "node:sea", "@reflink/*"];

/** Replaces `import.meta.url` in every bundled module by its original URL, relative to the bundle. */
function originalImportMetaUrl(bundleDir) {
    return {
        name: "original-import-meta-url",
        setup(build) {
            build.onLoad({ filter: /\.[cm]?js$/ }, async (args) => {
                const source = await readFile(args.path, "utf8");
                if (!source.includes("import.meta.url")) return undefined;
                const relative = path.relative(bundleDir, args.path).split(path.sep).join("/");
                const url = `new URL(${JSON.stringify(relative.startsWith(".") ? relative : `./${relative}`)}, import.meta.url).href`;
                return {
                    contents: source.replaceAll("import.meta.url", url),
                    loader: "js",
                    resolveDir: path.dirname(args.path)
                };
            });
        }
    };
}

/**
 * Bundles node-llama-cpp (installed at `sourceDir`) into `destDir` (the package's
 * node_modules/node-llama-cpp). Returns the number of JavaScript files that went into the bundles.
 */
export async function bundleNodeLlamaCpp(sourceDir, destDir) {
    const inputs = new Set();
    for (const entry of NODE_LLAMA_CPP_ENTRIES) {
        const source = path.join(sourceDir, entry);
        const result = await esbuild.build({
            entryPoints: [source],
            outfile: path.join(destDir, entry),
            bundle: true,
            platform: "node",
            format: "esm",
            target: "node20",
            external: EXTERNAL,
            // Error and class names appear in notes and logs ("NoBinaryFoundError"): keep them.
            keepNames: true,
            minifyWhitespace: true,
            minifySyntax: true,
            legalComments: "eof",
            logLevel: "error",
            metafile: true,
            plugins: [originalImportMetaUrl(path.dirname(source))],
            // Bundled CommonJS dependencies call require() for Node's modules; give them one.
            banner: {
                js: "import { createRequire as __nlcCreateRequire } from 'node:module'; const require = __nlcCreateRequire(import.meta.url);"
            }
        });
        for (const input of Object.keys(result.metafile.inputs)) inputs.add(input);
    }
    return inputs.size;
}
