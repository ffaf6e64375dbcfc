/**
 * Lets node-llama-cpp find binary packages installed outside node_modules (the CUDA build the user
 * downloaded into the extension's global storage). node-llama-cpp looks for its prebuilt binaries
 * with `import("@node-llama-cpp/<platform>-<backend>")`; a module resolve hook maps those
 * specifiers to the downloaded packages. Only packages present in the folder are mapped.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { register } from "node:module";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { BINARY_SCOPE } from "./cudaPackages";

const HOOKS = `let map = {};
export function initialize(data) { map = data.map; }
export async function resolve(specifier, context, next) {
    const url = map[specifier];
    return url ? { url, format: "module", shortCircuit: true } : next(specifier, context);
}`;

/** The complete binary packages in `folder`: `<folder>/<name>/package.json` naming `@node-llama-cpp/<name>`. */
export function installedBinaryPackages(
    folder: string | undefined
): { name: string; dir: string; entry: string }[] {
    if (!folder || !existsSync(folder)) return [];
    const found: { name: string; dir: string; entry: string }[] = [];
    for (const item of readdirSync(folder, { withFileTypes: true })) {
        if (!item.isDirectory()) continue;
        const dir = path.join(folder, item.name);
        try {
            const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as {
                name?: string;
                main?: string;
            };
            const entry = path.join(dir, pkg.main ?? "dist/index.js");
            if (pkg.name === `${BINARY_SCOPE}/${item.name}` && existsSync(entry))
                found.push({ name: pkg.name, dir, entry });
        } catch {
            // Not a package (a download in progress, or something else): ignored.
        }
    }
    return found;
}

let registered = false;

/** Maps the packages in `folder` for every later `import()`; once per process. Returns their names. */
export function useBinaryPackages(folder: string | undefined): string[] {
    const packages = installedBinaryPackages(folder);
    if (packages.length === 0 || registered) return packages.map((p) => p.name);
    registered = true;
    const map = Object.fromEntries(packages.map((p) => [p.name, pathToFileURL(p.entry).href]));
    register(`data:text/javascript,${encodeURIComponent(HOOKS)}`, { data: { map } });
    return packages.map((p) => p.name);
}
