/**
 * The models folder: which GGUF files are installed, partial downloads, the record of what was
 * downloaded (catalog id, sha256), and deleting a file. Only names inside the folder are accepted.
 */
import * as fs from "node:fs/promises";
import * as path from "node:path";
import { CATALOG, entryFileName } from "../../shared/catalog";
import type { InstalledModel } from "../../shared/modelsProtocol";

const RECORD = "apprentice-models.json";

interface DownloadRecord {
    id: string;
    sha256: string;
    url: string;
    downloadedAt: string;
}

export class ModelStore {
    constructor(readonly folder: string) {}

    pathOf(fileName: string): string {
        if (!isPlainName(fileName))
            throw new Error(`Not a file name in the models folder: ${fileName}`);
        return path.join(this.folder, fileName);
    }

    async list(): Promise<{
        installed: InstalledModel[];
        partial: { fileName: string; bytes: number }[];
    }> {
        const names = await fs.readdir(this.folder).catch(() => [] as string[]);
        const records = await this.records();
        const installed: InstalledModel[] = [];
        const partial: { fileName: string; bytes: number }[] = [];
        for (const name of names.sort()) {
            const lower = name.toLowerCase();
            if (!lower.endsWith(".gguf") && !lower.endsWith(".gguf.part")) continue;
            const stat = await fs.stat(path.join(this.folder, name)).catch(() => undefined);
            if (!stat?.isFile()) continue;
            if (lower.endsWith(".part")) {
                partial.push({ fileName: name, bytes: stat.size });
                continue;
            }
            const record = records[name];
            const catalogId =
                record?.id ?? CATALOG.find((entry) => entryFileName(entry) === name)?.id;
            installed.push({
                fileName: name,
                path: path.join(this.folder, name),
                sizeBytes: stat.size,
                ...(catalogId ? { catalogId } : {}),
                ...(record ? { sha256: record.sha256 } : {})
            });
        }
        return { installed, partial };
    }

    async remember(fileName: string, record: DownloadRecord): Promise<void> {
        const records = await this.records();
        records[fileName] = record;
        await this.writeRecords(records);
    }

    /** Deletes a model or a partial download; returns the bytes freed (0 when it was not there). */
    async delete(fileName: string): Promise<number> {
        const lower = fileName.toLowerCase();
        if (!lower.endsWith(".gguf") && !lower.endsWith(".gguf.part"))
            throw new Error(`Only .gguf files and partial downloads can be deleted: ${fileName}`);
        const file = this.pathOf(fileName);
        const size = await fs.stat(file).then(
            (s) => s.size,
            () => 0
        );
        await fs.rm(file, { force: true });
        const records = await this.records();
        if (records[fileName]) {
            delete records[fileName];
            await this.writeRecords(records);
        }
        return size;
    }

    private async records(): Promise<Record<string, DownloadRecord>> {
        try {
            const parsed: unknown = JSON.parse(
                await fs.readFile(path.join(this.folder, RECORD), "utf8")
            );
            return typeof parsed === "object" && parsed !== null
                ? (parsed as Record<string, DownloadRecord>)
                : {};
        } catch {
            return {};
        }
    }

    private async writeRecords(records: Record<string, DownloadRecord>): Promise<void> {
        const file = path.join(this.folder, RECORD);
        await fs.writeFile(`${file}.tmp`, JSON.stringify(records, null, 2));
        await fs.rename(`${file}.tmp`, file);
    }
}

function isPlainName(name: string): boolean {
    return (
        name.length > 0 &&
        name === path.basename(name) &&
        !name.includes("/") &&
        !name.includes("\\") &&
        name !== "." &&
        name !== ".."
    );
}
