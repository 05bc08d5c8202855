/** Tabs of one browser tell each other that an address was confirmed (no content, just the fact). */
export const EMAIL_CHANNEL = 'zkinvoice-email-confirmed';

export function announceEmailConfirmed(): void {
  const channel = new BroadcastChannel(EMAIL_CHANNEL);
  channel.postMessage('confirmed');
  channel.close();
}
