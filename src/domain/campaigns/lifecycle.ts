/**
 * Which actions a campaign allows in each status (pure). Anything else is a 409 with the stable
 * code CAMPAIGN_STATE and a message that says what the campaign is doing now.
 */
import { AppError } from '../../errors';
import type { CampaignStatus } from './types';

export type CampaignAction = 'start' | 'pause' | 'resume' | 'cancel';

const ALLOWED: Record<CampaignAction, readonly CampaignStatus[]> = {
  start: ['draft'],
  pause: ['scheduled', 'running'],
  resume: ['paused'],
  cancel: ['draft', 'scheduled', 'running', 'paused'],
};

export class CampaignStateError extends AppError {
  constructor(name: string, action: CampaignAction, status: CampaignStatus) {
    super('CAMPAIGN_STATE', 409, `Campaign "${name}" is ${status}: it cannot ${action}`, {
      action,
      status,
    });
  }
}

/** Throws CampaignStateError unless `action` is allowed in `status`. */
export function checkAction(name: string, action: CampaignAction, status: CampaignStatus): void {
  if (!ALLOWED[action].includes(status)) throw new CampaignStateError(name, action, status);
}

/** The statuses an action may move a campaign out of (for conditional updates). */
export const fromStatuses = (action: CampaignAction): readonly CampaignStatus[] => ALLOWED[action];
