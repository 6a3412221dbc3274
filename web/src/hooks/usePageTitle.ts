import { useEffect } from 'react';

/** Sets the document title to "`title` · Provena" while the page is shown. */
export function usePageTitle(title: string): void {
  useEffect(() => {
    const previous = document.title;
    document.title = `${title} · Provena`;
    return () => {
      document.title = previous;
    };
  }, [title]);
}
