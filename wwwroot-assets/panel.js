// The panel's only script of its own: saves a file the server produced (an export, a CSR, a backup) without a
// second request, so a key never travels through a URL or a cache; remembers the theme; checks /health; scrolls a
// form's first problem into view.
window.synoCertPanel = {
    saveFile: async function (fileName, contentType, streamReference) {
        const buffer = await streamReference.arrayBuffer();
        const url = URL.createObjectURL(new Blob([buffer], { type: contentType }));
        try {
            const anchor = document.createElement("a");
            anchor.href = url;
            anchor.download = fileName;
            anchor.rel = "noopener";
            document.body.appendChild(anchor);
            anchor.click();
            anchor.remove();
        } finally {
            setTimeout(() => URL.revokeObjectURL(url), 10000);
        }
    },

    // The theme chosen with the app bar's toggle, in a cookie the server reads to paint the next page in that theme
    // from the first byte. Only "dark" or "light"; not sent to other sites; a year.
    rememberTheme: function (name, value) {
        document.cookie = name + "=" + (value === "dark" ? "dark" : "light") + "; Path=/; Max-Age=31536000; SameSite=Strict; Secure";
    },

    // Asks the panel for /health from the browser itself (not over the circuit), so a change of the listener's
    // certificate is confirmed from the side that matters: this page can still reach the panel.
    // A long dialog scrolls inside itself: the message that stopped a submit may sit below what is shown.
    revealProblem: function (selector) {
        const problem = document.querySelector(selector);
        if (problem) {
            problem.scrollIntoView({ block: "nearest" });
        }
    },

    checkHealth: async function () {
        try {
            const response = await fetch("/health", { cache: "no-store", credentials: "same-origin" });
            return response.ok ? (await response.text()).trim() : "HTTP " + response.status;
        } catch (error) {
            return "failed: " + error.message;
        }
    }
};
