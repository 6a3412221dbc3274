import type { Me } from '../../api/types';

/** Who may record a recall. */
const RECALL_ROLES: readonly string[] = ['producer', 'certifier', 'admin'];

/** Whether `me` may record a recall (the API decides; this only hides what it would refuse). */
export function mayRecall(me: Me): boolean {
  return me.roles.some((role) => RECALL_ROLES.includes(role));
}
