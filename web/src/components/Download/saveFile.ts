/** Hands `blob` to the browser as a download named `name`. */
export function saveFile(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started from the URL by the time the click returns; a moment later
  // nothing needs it.
  setTimeout(() => {
    URL.revokeObjectURL(url);
  }, 1_000);
}
