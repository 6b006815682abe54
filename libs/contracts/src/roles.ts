export const Role = { user: 'user', moderator: 'moderator', admin: 'admin' } as const;
export type Role = (typeof Role)[keyof typeof Role];
export const STAFF_ROLES: readonly Role[] = [Role.admin, Role.moderator];
export const isStaff = (role: Role | undefined): boolean => !!role && STAFF_ROLES.includes(role);
