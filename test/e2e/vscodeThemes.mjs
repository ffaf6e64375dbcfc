// VS Code's own theme variables for the webview tests: the values VS Code sets on a webview's
// <html> for its default "Dark Modern" and "Light Modern" themes (the ones the chat and stats CSS read).
const FONTS = {
    "--vscode-font-family": "-apple-system, BlinkMacSystemFont, \"Segoe WPC\", \"Segoe UI\", \"Ubuntu\", \"Droid Sans\", sans-serif",
    "--vscode-font-size": "13px",
    "--vscode-font-weight": "normal",
    "--vscode-editor-font-family": "\"Droid Sans Mono\", \"monospace\", monospace",
    "--vscode-editor-font-size": "13px"
};

export const THEMES = {
    dark: {
        ...FONTS,
        "--vscode-foreground": "#cccccc", "--vscode-sideBar-background": "#181818", "--vscode-editor-background": "#1f1f1f", "--vscode-editor-foreground": "#cccccc",
        "--vscode-button-background": "#0078d4", "--vscode-button-foreground": "#ffffff", "--vscode-button-hoverBackground": "#026ec1", "--vscode-button-border": "#ffffff12",
        "--vscode-button-secondaryBackground": "#313131", "--vscode-button-secondaryForeground": "#cccccc", "--vscode-button-secondaryHoverBackground": "#3c3c3c",
        "--vscode-input-background": "#313131", "--vscode-input-foreground": "#cccccc", "--vscode-input-border": "#3c3c3c", "--vscode-input-placeholderForeground": "#989898",
        "--vscode-focusBorder": "#0078d4", "--vscode-descriptionForeground": "#9d9d9d", "--vscode-icon-foreground": "#cccccc", "--vscode-toolbar-hoverBackground": "#5a5d5e50",
        "--vscode-widget-border": "#313131", "--vscode-widget-shadow": "#0000005c", "--vscode-badge-background": "#616161", "--vscode-badge-foreground": "#f8f8f8",
        "--vscode-textLink-foreground": "#4daafc", "--vscode-textLink-activeForeground": "#4daafc", "--vscode-textPreformat-foreground": "#d0d0d0", "--vscode-textPreformat-background": "#3c3c3c",
        "--vscode-textCodeBlock-background": "#2b2b2b", "--vscode-textBlockQuote-border": "#616161", "--vscode-textBlockQuote-background": "#2b2b2b",
        "--vscode-quickInput-background": "#222222", "--vscode-quickInput-foreground": "#cccccc", "--vscode-quickInputList-focusBackground": "#04395e", "--vscode-quickInputList-focusForeground": "#ffffff",
        "--vscode-list-hoverBackground": "#2a2d2e", "--vscode-list-activeSelectionBackground": "#04395e", "--vscode-list-activeSelectionForeground": "#ffffff",
        "--vscode-keybindingLabel-background": "#8080802b", "--vscode-keybindingLabel-foreground": "#cccccc", "--vscode-keybindingLabel-border": "#33333399", "--vscode-keybindingLabel-bottomBorder": "#44444499",
        "--vscode-chat-requestBorder": "#ffffff1a", "--vscode-chat-requestBackground": "#1f1f1f9e", "--vscode-editorWidget-background": "#202020",
        "--vscode-sideBarSectionHeader-border": "#2b2b2b", "--vscode-errorForeground": "#f85149",
        "--vscode-inputValidation-warningBackground": "#352a05", "--vscode-inputValidation-warningBorder": "#b89500",
        "--vscode-symbolIcon-keywordForeground": "#569cd6", "--vscode-symbolIcon-functionForeground": "#dcdcaa", "--vscode-symbolIcon-classForeground": "#4ec9b0",
        "--vscode-symbolIcon-variableForeground": "#9cdcfe", "--vscode-symbolIcon-constantForeground": "#4fc1ff",
        "--vscode-debugTokenExpression-string": "#ce9178", "--vscode-debugTokenExpression-number": "#b5cea8", "--vscode-debugTokenExpression-name": "#c586c0",
        "--vscode-charts-foreground": "#cccccc", "--vscode-charts-lines": "#cccccc80", "--vscode-charts-blue": "#3794ff", "--vscode-charts-green": "#89d185",
        "--vscode-charts-red": "#f14c4c", "--vscode-charts-orange": "#d18616", "--vscode-charts-yellow": "#cca700", "--vscode-charts-purple": "#b180d7",
        "--vscode-panel-border": "#2b2b2b"
    },
    light: {
        ...FONTS,
        "--vscode-foreground": "#3b3b3b", "--vscode-sideBar-background": "#f8f8f8", "--vscode-editor-background": "#ffffff", "--vscode-editor-foreground": "#3b3b3b",
        "--vscode-button-background": "#005fb8", "--vscode-button-foreground": "#ffffff", "--vscode-button-hoverBackground": "#0258a8", "--vscode-button-border": "#0000001a",
        "--vscode-button-secondaryBackground": "#e5e5e5", "--vscode-button-secondaryForeground": "#3b3b3b", "--vscode-button-secondaryHoverBackground": "#cccccc",
        "--vscode-input-background": "#ffffff", "--vscode-input-foreground": "#3b3b3b", "--vscode-input-border": "#cecece", "--vscode-input-placeholderForeground": "#767676",
        "--vscode-focusBorder": "#005fb8", "--vscode-descriptionForeground": "#717171", "--vscode-icon-foreground": "#3b3b3b", "--vscode-toolbar-hoverBackground": "#b8b8b850",
        "--vscode-widget-border": "#e5e5e5", "--vscode-widget-shadow": "#00000029", "--vscode-badge-background": "#cccccc", "--vscode-badge-foreground": "#3b3b3b",
        "--vscode-textLink-foreground": "#005fb8", "--vscode-textLink-activeForeground": "#005fb8", "--vscode-textPreformat-foreground": "#3b3b3b", "--vscode-textPreformat-background": "#0000001f",
        "--vscode-textCodeBlock-background": "#f8f8f8", "--vscode-textBlockQuote-border": "#e5e5e5", "--vscode-textBlockQuote-background": "#f8f8f8",
        "--vscode-quickInput-background": "#f8f8f8", "--vscode-quickInput-foreground": "#3b3b3b", "--vscode-quickInputList-focusBackground": "#e8e8e8", "--vscode-quickInputList-focusForeground": "#000000",
        "--vscode-list-hoverBackground": "#f2f2f2", "--vscode-list-activeSelectionBackground": "#e8e8e8", "--vscode-list-activeSelectionForeground": "#000000",
        "--vscode-keybindingLabel-background": "#dddddd66", "--vscode-keybindingLabel-foreground": "#555555", "--vscode-keybindingLabel-border": "#cccccc66", "--vscode-keybindingLabel-bottomBorder": "#bbbbbb66",
        "--vscode-chat-requestBorder": "#0000001a", "--vscode-chat-requestBackground": "#ffffff9e", "--vscode-editorWidget-background": "#f8f8f8",
        "--vscode-sideBarSectionHeader-border": "#e5e5e5", "--vscode-errorForeground": "#f85149",
        "--vscode-inputValidation-warningBackground": "#f6f5d2", "--vscode-inputValidation-warningBorder": "#bf8803",
        "--vscode-symbolIcon-keywordForeground": "#0000ff", "--vscode-symbolIcon-functionForeground": "#795e26", "--vscode-symbolIcon-classForeground": "#267f99",
        "--vscode-symbolIcon-variableForeground": "#001080", "--vscode-symbolIcon-constantForeground": "#0070c1",
        "--vscode-debugTokenExpression-string": "#a31515", "--vscode-debugTokenExpression-number": "#098658", "--vscode-debugTokenExpression-name": "#af00db",
        "--vscode-charts-foreground": "#3b3b3b", "--vscode-charts-lines": "#3b3b3b80", "--vscode-charts-blue": "#1a85ff", "--vscode-charts-green": "#388a34",
        "--vscode-charts-red": "#e51400", "--vscode-charts-orange": "#d18616", "--vscode-charts-yellow": "#bf8803", "--vscode-charts-purple": "#652d90",
        "--vscode-panel-border": "#e5e5e5"
    }
};

/** Sets a theme's variables on the page (through the CSSOM, which the strict CSP allows) and VS Code's body class. */
export async function applyTheme(page, name) {
    await page.evaluate(([vars, theme]) => {
        for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty(k, v);
        document.body.classList.remove("vscode-dark", "vscode-light");
        document.body.classList.add(`vscode-${theme}`);
    }, [THEMES[name], name]);
}
