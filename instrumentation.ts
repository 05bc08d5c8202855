/** Runs once when a server instance starts: migrate, then offer first-admin setup if needed. */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { startUp } = await import('./lib/server/startup');
  await startUp();
}
