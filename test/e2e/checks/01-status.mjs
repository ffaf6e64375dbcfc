// A person opens a file and sees Apprentice's status bar entry become ready (sparkle icon).
export const title = "opens a file and the Apprentice status bar entry reaches ready";

export const files = {
    "src/hello.ts":
        "export function greet(name: string): string {\n    return `Hello, ${name}`;\n}\n"
};

export async function run(session) {
    const { page } = session;
    await session.openFile("hello.ts");
    const item = page.locator(".statusbar-item", { hasText: "Apprentice" });
    await item.first().waitFor({ timeout: 60_000 });
    // "$(sparkle) Apprentice" is the ready state; loading, errors and "no model" use other icons.
    await item.locator(".codicon-sparkle").first().waitFor({ timeout: 120_000 });
    const label = await item.first().getAttribute("aria-label");
    if (!label?.includes("Apprentice")) throw new Error(`unexpected status bar label: ${label}`);
    return { screenshot: await session.screenshot("status-ready"), detail: label };
}
