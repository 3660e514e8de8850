/**
 * What discovery reads of a campaign a body names (campaigns depend on discovery, so this is
 * campaigns' reader over its own table, `campaignReader`, built before both): the caller's own
 * campaign, or nothing when it is another customer's or does not exist.
 */
export interface CampaignRefs {
  campaignOf(
    customerId: number,
    campaignId: string,
  ): Promise<
    | {
        advertiserId: number;
        brief: string | null;
        flightStart: Date;
        flightEnd: Date;
        budgetTotal: number;
        storefrontIds: number[];
      }
    | undefined
  >;
}
