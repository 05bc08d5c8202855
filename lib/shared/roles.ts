/**
 * Organization roles and what each may do (DESIGN §3.3), defined once: the server's data layer
 * checks them (`requireRole`), the membership chain's replay checks who may sign a link, and the
 * UI shows only the actions a role allows.
 */
export const ORG_ROLES = ['owner', 'admin', 'member', 'viewer'] as const;
export type OrgRole = (typeof ORG_ROLES)[number];

export const PERMISSIONS = {
  /** Read the org's invoices, documents and history. */
  'invoice.read': ['owner', 'admin', 'member', 'viewer'],
  /** Send invoices and credit notes. */
  'invoice.send': ['owner', 'admin', 'member'],
  /** Lifecycle actions and comments: pay, announce, dispute, confirm receipt, cancel. */
  'invoice.act': ['owner', 'admin', 'member'],
  /** Invite, confirm, change roles below owner, remove members below owner, rotate keys. */
  'members.manage': ['owner', 'admin'],
  /** Change the organization's settings (its profile). */
  'settings.manage': ['owner', 'admin'],
  /** Make or unmake an owner, remove an owner. */
  'owners.manage': ['owner'],
} as const satisfies Record<string, readonly OrgRole[]>;
export type Permission = keyof typeof PERMISSIONS;

export function can(role: OrgRole | null | undefined, permission: Permission): boolean {
  return !!role && (PERMISSIONS[permission] as readonly OrgRole[]).includes(role);
}

export function isOrgRole(value: unknown): value is OrgRole {
  return typeof value === 'string' && (ORG_ROLES as readonly string[]).includes(value);
}

export const ROLE_LABELS: Record<OrgRole, string> = {
  owner: 'Owner',
  admin: 'Admin',
  member: 'Member',
  viewer: 'Viewer',
};

export const ROLE_DESCRIPTIONS: Record<OrgRole, string> = {
  owner: 'Everything, including making other owners.',
  admin: 'Manages members and settings, sends and pays.',
  member: 'Sends, receives, pays and comments.',
  viewer: 'Reads invoices only.',
};

/** Days an invitation link stays valid unless the inviter chose otherwise. */
export const INVITATION_DEFAULT_DAYS = 7;
