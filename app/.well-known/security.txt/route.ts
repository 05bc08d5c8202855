import { env } from '@/lib/server/env';

export const dynamic = 'force-dynamic';

/**
 * RFC 9116 security.txt: where to report a vulnerability in this deployment. The operator names
 * the contact with SECURITY_CONTACT (a mailto: or https: URI); without it, the conventional
 * security@ mailbox of the portal's host (RFC 2142). Expires is a year ahead, as the RFC allows at
 * most; the file is generated on each request, so it never goes stale while the server runs.
 */
export function GET(): Response {
  const config = env();
  const contact = config.SECURITY_CONTACT ?? `mailto:security@${new URL(config.ORIGIN).hostname}`;
  const expires = new Date(Date.now() + 364 * 24 * 60 * 60 * 1000);
  expires.setUTCHours(0, 0, 0, 0);
  const lines = [
    `Contact: ${contact}`,
    `Expires: ${expires.toISOString()}`,
    ...(config.SECURITY_POLICY_URL ? [`Policy: ${config.SECURITY_POLICY_URL}`] : []),
    'Preferred-Languages: en, de',
    `Canonical: ${config.ORIGIN}/.well-known/security.txt`,
  ];
  return new Response(`${lines.join('\n')}\n`, { headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'public, max-age=86400' } });
}
