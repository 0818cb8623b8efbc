/**
 * Opens a print view the server renders (HTML that needs the access token, so it cannot be
 * a plain link) in a new tab. The tab is opened at once, in the click, so that browsers do
 * not take it for a pop-up; the document follows when it has loaded.
 */
export async function openPrintView(load: () => Promise<string>, loadingText: string): Promise<void> {
  const view = window.open('', '_blank');
  if (view) view.document.title = loadingText;
  try {
    const html = await load();
    const url = URL.createObjectURL(new Blob([html], { type: 'text/html;charset=utf-8' }));
    if (view) view.location.href = url;
    else window.location.href = url;
    // The tab keeps its document; the URL itself is not needed once it has loaded.
    setTimeout(() => {
      URL.revokeObjectURL(url);
    }, 60_000);
  } catch (error) {
    view?.close();
    throw error;
  }
}
