import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CatalogueQuery, ExchangeTypeParam, RpcSubjects, type RpcContext } from '@app/contracts';
import { BusClient } from '@app/messaging';
import { Ctx, Public } from '../auth/caller';

@ApiTags('Categories (v6)')
@Public()
@Controller('v1/categories')
export class CategoriesController {
  constructor(private readonly bus: BusClient) {}

  @Get()
  @ApiOperation({ summary: 'The active (or given) catalogue version with every category by exchange type' })
  catalogue(@Ctx() ctx: RpcContext, @Query() query: CatalogueQuery) {
    return this.bus.send(RpcSubjects.listingsCatalogueGet, query, ctx);
  }

  @Get('groups/:exchange_type')
  @ApiOperation({ summary: 'The category groups of one exchange type (permanent or temporary)' })
  groups(@Ctx() ctx: RpcContext, @Param() params: ExchangeTypeParam, @Query() query: CatalogueQuery) {
    return this.bus.send(RpcSubjects.listingsCategoryGroups, { exchange_type: params.exchange_type, version: query.version }, ctx);
  }

  @Get(':exchange_type')
  @ApiOperation({ summary: 'The categories of one exchange type (permanent or temporary)' })
  byType(@Ctx() ctx: RpcContext, @Param() params: ExchangeTypeParam, @Query() query: CatalogueQuery) {
    return this.bus.send(RpcSubjects.listingsCategoriesByType, { exchange_type: params.exchange_type, version: query.version }, ctx);
  }
}
