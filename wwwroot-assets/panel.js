// The panel's only script of its own: saves a file the server produced (an export, a CSR, a backup) without a
// second request, so a key never travels through a URL or a cache.
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
    }
};
