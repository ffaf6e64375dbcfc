/** @-mentions and @workspace in a real VS Code: the picker's items, chips, and the workspace index answering a question. */
import { strict as assert } from "node:assert";
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import * as vscode from "vscode";
import type { MentionsApi, WorkspaceIndexApi } from "../../src/extension/api";
import type { ChatAttachment } from "../../src/shared/chatProtocol";
import { useChatModel, waitFor, workspaceDir } from "./support";

const ANSWER = [
    "/** Matches bank statement lines with ledger entries and returns the ones left over. */",
    "export function reconcileLedgerEntries(ledger: Entry[], statement: Line[]): Entry[] {",
    "    const seen = new Set(statement.map((line) => line.reference));",
    "    return ledger.filter((entry) => !seen.has(entry.reference));",
    "}",
    ""
].join("\n");

describe("workspace mentions", () => {
    const fixture = useChatModel("stories260K.gguf");
    let index: WorkspaceIndexApi;
    let mentions: MentionsApi;

    before(() => {
        const write = (name: string, text: string) => {
            const file = path.join(workspaceDir(), name);
            mkdirSync(path.dirname(file), { recursive: true });
            writeFileSync(file, text);
        };
        write("mentions/billing/ledgerReconcile.ts", ANSWER);
        write("mentions/billing/notes.md", "# Billing\n\nThe ledger is kept in cents.\n");
        write("mentions/.env", "LEDGER_SECRET=reconcileLedgerEntries-hunter2\n");
        index = fixture.api.workspaceIndex!;
        mentions = fixture.api.mentions!;
        assert.ok(index && mentions, "the API exposes the workspace index and the mentions");
    });

    it("offers @workspace, @problems and @changes, filters files fuzzily, and never offers a .env file", async () => {
        const all = await mentions.query("");
        for (const label of ["@workspace", "@problems", "@changes"])
            assert.ok(
                all.some((i) => i.label === label),
                label
            );
        const ledger = await waitFor("the new file to be offered", async () =>
            (await mentions.query("ledgrec")).find((i) => i.label === "ledgerReconcile.ts")
        );
        assert.equal(ledger.kind, "file");
        for (const query of ["env", ".env", "", "mentions"]) {
            const items = await mentions.query(query);
            assert.ok(
                !items.some((i) => i.label === ".env" || i.id.includes(".env")),
                `no .env for "${query}"`
            );
        }
    });

    it("choosing a file attaches it as a chip with its content", async () => {
        const item = (await mentions.query("ledgerReconcile")).find(
            (i) => i.label === "ledgerReconcile.ts"
        )!;
        const since = fixture.posted.length;
        await mentions.choose(item.id);
        const message = await waitFor("an attachments message", () =>
            fixture.posted
                .slice(since)
                .find((m) => m.type === "attachments" && m.attachments.length > 0)
        );
        const chip = (message as { attachments: ChatAttachment[] }).attachments[0];
        assert.equal(chip.name, "mentions/billing/ledgerReconcile.ts");
        assert.equal(chip.text, ANSWER);
        assert.equal(
            chip.uri,
            vscode.Uri.file(
                path.join(workspaceDir(), "mentions/billing/ledgerReconcile.ts")
            ).toString()
        );
        const turn = await fixture.chat.send("What does this do?");
        const sent = fixture.posted
            .slice(since)
            .find((m) => m.type === "turnStarted" && m.assistant.id === turn.id);
        assert.ok(
            sent?.type === "turnStarted" && sent.user.attachments?.[0]?.name === chip.name,
            "the chip went with the message"
        );
    });

    it("a question with @workspace gets the answer file's chunk as a clickable reference, and never the .env file", async () => {
        await waitFor(
            "the index to hold the answer file",
            async () => {
                const found = await index.search("reconcileLedgerEntries");
                return found.chunks.some(
                    (c) => c.relativePath === "mentions/billing/ledgerReconcile.ts"
                );
            },
            120_000,
            250
        );
        const since = fixture.posted.length;
        const turn = await fixture.chat.send("@workspace where is reconcileLedgerEntries defined?");
        const started = fixture.posted
            .slice(since)
            .find((m) => m.type === "turnStarted" && m.assistant.id === turn.id);
        assert.ok(started && started.type === "turnStarted");
        const references = started.user.attachments ?? [];
        const answer = references.find((a) => a.name === "mentions/billing/ledgerReconcile.ts");
        assert.ok(
            answer,
            `the answer file is a reference: ${JSON.stringify(references.map((a) => a.name))}`
        );
        assert.equal(answer.startLine, 1);
        assert.equal(answer.endLine, 5);
        assert.match(answer.text, /export function reconcileLedgerEntries/);
        assert.ok(answer.uri?.startsWith("file:"), "the reference can be opened");
        assert.ok(
            !references.some((a) => a.name.endsWith(".env") || a.text.includes("hunter2")),
            "no secret file"
        );
        assert.ok(turn.state === "done" || turn.state === "stopped", turn.error);
    });
});
