'use client';

import { useEffect, useRef } from 'react';

/** Marks the history entry the prompt pushes on top of the page's own (see useLeavePrompt). */
const GUARD_KEY = '__zkinvoiceLeaveGuard';

/** True while the current history entry is the Back guard, which a navigation should replace rather than stack upon. */
export function onLeaveGuardEntry(): boolean {
  return typeof window !== 'undefined' && window.history.state?.[GUARD_KEY] === true;
}

/**
 * While `active`, leaving the page asks first: a reload, closing the tab or typing another address
 * gets the browser's own "Leave site?" prompt (beforeunload); a click on a link of this portal and
 * the browser's Back button ask `question`, and leave only when it is confirmed.
 *
 * Back is a history step that has already happened when the page hears of it, so the hook pushes
 * a guard entry (same address, same router state) when it becomes active: Back then only pops the
 * guard, the popstate handler asks, and either pushes the guard again (stay) or steps back once
 * more (leave). The router never sees the popped guard. When the prompt ends while the guard is
 * still the current entry, it is popped again, so Back later works as it would have.
 */
export function useLeavePrompt(active: boolean, question: string): void {
  // The question is read when asked: a new wording must not pop and push the guard again.
  const asked = useRef(question);
  useEffect(() => {
    asked.current = question;
  }, [question]);
  useEffect(() => {
    if (!active) return;
    const confirmLeave = () => window.confirm(asked.current);
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older Chromium versions show the prompt only when returnValue is set.
      event.returnValue = '';
    };
    // Capture phase on the document: runs before React's handlers (and Next.js's Link) see the click.
    const onClick = (event: MouseEvent) => {
      if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const link = (event.target as Element | null)?.closest?.('a[href]');
      if (!(link instanceof HTMLAnchorElement) || link.target === '_blank' || link.hasAttribute('download')) return;
      const url = new URL(link.href, window.location.href);
      if (url.origin !== window.location.origin || (url.pathname === window.location.pathname && url.search === window.location.search)) return;
      if (!confirmLeave()) {
        event.preventDefault();
        event.stopPropagation();
      }
    };
    const pushGuard = () => window.history.pushState({ ...window.history.state, [GUARD_KEY]: true }, '', window.location.href);
    // Capture on window runs before the router's own popstate listener, which must not see this step.
    const onPopState = (event: PopStateEvent) => {
      if (event.state?.[GUARD_KEY] === true) return;
      event.stopImmediatePropagation();
      if (!confirmLeave()) {
        pushGuard();
        return;
      }
      disarm();
      window.history.back();
    };
    function disarm() {
      window.removeEventListener('beforeunload', onBeforeUnload);
      document.removeEventListener('click', onClick, true);
      window.removeEventListener('popstate', onPopState, true);
    }
    window.addEventListener('beforeunload', onBeforeUnload);
    document.addEventListener('click', onClick, true);
    if (!onLeaveGuardEntry()) pushGuard();
    window.addEventListener('popstate', onPopState, true);
    return () => {
      disarm();
      // Still on the guard (the upload ended or was cancelled here): step off it, and keep the
      // router from treating that step as a navigation. After leaving, the page's entry is gone.
      if (!onLeaveGuardEntry()) return;
      const swallow = (event: PopStateEvent) => {
        window.removeEventListener('popstate', swallow, true);
        event.stopImmediatePropagation();
      };
      window.addEventListener('popstate', swallow, true);
      window.history.back();
    };
  }, [active]);
}
