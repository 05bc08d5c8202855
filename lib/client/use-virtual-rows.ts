'use client';

import { useEffect, useState, type RefObject } from 'react';

export interface VirtualWindow {
  /** First and one-past-last row index to render. */
  start: number;
  end: number;
  /** Heights of the spacers before and after the rendered rows, in pixels. */
  before: number;
  after: number;
}

/** The rows to render for a viewport scrolled to `top` and `height` pixels tall (pure; unit-tested). */
export function virtualWindow(count: number, rowHeight: number, top: number, height: number, overscan: number): VirtualWindow {
  const start = Math.min(count, Math.max(0, Math.floor(top / rowHeight) - overscan));
  const end = Math.min(count, Math.max(start, Math.ceil((top + height) / rowHeight) + overscan));
  return { start, end, before: start * rowHeight, after: (count - end) * rowHeight };
}

/**
 * Which rows of a fixed-row-height list inside a scrolling element are on screen (plus `overscan`
 * rows either side), followed on scroll and resize: only those go into the DOM, so a list of
 * 100,000 rows costs what a screenful costs. Written here rather than taken from a library because
 * the table needs only this (fixed heights, one scroll container, spacer rows that keep <table>
 * semantics), which is a few dozen lines.
 */
export function useVirtualRows(viewport: RefObject<HTMLElement | null>, count: number, rowHeight: number, overscan = 20): VirtualWindow {
  // Before the first measurement: a tall screen's worth, so the first paint is never empty.
  const [view, setView] = useState({ top: 0, height: 1200 });

  useEffect(() => {
    const element = viewport.current;
    if (!element) return;
    let frame = 0;
    const measure = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => setView((previous) => (previous.top === element.scrollTop && previous.height === element.clientHeight ? previous : { top: element.scrollTop, height: element.clientHeight })));
    };
    element.addEventListener('scroll', measure, { passive: true });
    // Also reports the first size as soon as it observes.
    const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(measure);
    observer?.observe(element);
    return () => {
      cancelAnimationFrame(frame);
      element.removeEventListener('scroll', measure);
      observer?.disconnect();
    };
  }, [viewport]);

  return virtualWindow(count, rowHeight, view.top, view.height, overscan);
}
