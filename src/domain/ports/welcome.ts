/**
 * Whether a workflow will welcome a contact who has just arrived: with BOT_WELCOME=flow the bot
 * asks before greeting a new contact, so the person gets one welcome, not two. The workflow
 * runtime answers (an enabled binding of the welcome flow on one of these segments).
 */
export interface WelcomeFlows {
  welcomes(workspaceId: string, segmentIds: readonly string[]): Promise<boolean>;
}
