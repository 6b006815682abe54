import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DomainError, ErrorType, MAX_LIMIT, MyItemsQuery, RpcSubjects, type Caller, type RpcContext } from '@app/contracts';
import { BusClient } from '@app/messaging';
import { Ctx, CurrentCaller } from '../auth/caller';

@ApiTags('User Cabinet')
@ApiBearerAuth()
@Controller('user')
export class CabinetController {
  constructor(private readonly bus: BusClient) {}

  @Get('listings')
  @ApiOperation({ summary: 'Your own wants and offers in every state (active, hidden, archived)' })
  listings(@Ctx() ctx: RpcContext, @Query() query: MyItemsQuery) {
    return this.bus.send(RpcSubjects.listingsItemsListMine, query, ctx);
  }

  @Get('cabinet')
  @ApiOperation({ summary: 'Your profile, your listings and your active exchanges in one call' })
  async cabinet(@Ctx() ctx: RpcContext, @CurrentCaller() caller: Caller) {
    const [profile, listings, exchanges] = await Promise.all([
      this.bus.send(RpcSubjects.identityUsersGet, { user_id: caller.id }, ctx),
      this.bus.send(RpcSubjects.listingsItemsListMine, { status: 'active', limit: MAX_LIMIT }, ctx),
      // A composed page: when matching is down the rest of the cabinet still answers.
      this.bus.send(RpcSubjects.matchingExchangesListMine, {}, ctx).catch((error: unknown) => {
        if (error instanceof DomainError && (error.errorType === ErrorType.serviceUnavailable || error.errorType === ErrorType.timeout)) return [];
        throw error;
      }),
    ]);
    return {
      user_profile: profile,
      my_listings: listings.items,
      my_listings_total: listings.total,
      // The matching service's live proposals and exchanges (same entries as /user/exchanges).
      active_exchanges: exchanges,
    };
  }
}
