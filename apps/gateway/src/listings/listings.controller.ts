import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  CreateByCategoriesRequest,
  CreateItemRequest,
  ListItemsQuery,
  OwnerQuery,
  RpcSubjects,
  UpdateListingRequest,
  type RpcContext,
} from '@app/contracts';
import { BusClient } from '@app/messaging';
import { Ctx, Public } from '../auth/caller';
import { idParam } from '../http/id-param';

@ApiTags('Listings Exchange')
@Controller('api/listings')
export class ListingsController {
  constructor(private readonly bus: BusClient) {}

  @Post('create-by-categories')
  @HttpCode(201)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Create a listing from wants and offers keyed by exchange type or category slug' })
  createByCategories(@Ctx() ctx: RpcContext, @Body() body: CreateByCategoriesRequest) {
    return this.bus.send(RpcSubjects.listingsCreateByCategories, body, ctx);
  }

  @Post('create')
  @HttpCode(201)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Create one want or offer' })
  create(@Ctx() ctx: RpcContext, @Body() body: CreateItemRequest) {
    return this.bus.send(RpcSubjects.listingsItemsCreate, body, ctx);
  }

  @Public()
  @Get('wants')
  @ApiOperation({ summary: 'Active wants: filters, text search, sort and page' })
  wants(@Ctx() ctx: RpcContext, @Query() query: ListItemsQuery) {
    return this.bus.send(RpcSubjects.listingsItemsList, { ...query, item_type: 'WANT' }, ctx);
  }

  @Public()
  @Get('offers')
  @ApiOperation({ summary: 'Active offers: filters, text search, sort and page' })
  offers(@Ctx() ctx: RpcContext, @Query() query: ListItemsQuery) {
    return this.bus.send(RpcSubjects.listingsItemsList, { ...query, item_type: 'OFFER' }, ctx);
  }

  @Public()
  @Get('user/:user_id')
  @ApiOperation({ summary: 'One user’s active wants and offers' })
  byUser(@Ctx() ctx: RpcContext, @Param('user_id', idParam('user_id')) userId: number, @Query() query: ListItemsQuery) {
    return this.bus.send(RpcSubjects.listingsItemsList, { ...query, user_id: userId }, ctx);
  }
}

/**
 * PATCH /listings/{id}, also answered at the original client's paths
 * (/api/listings/{id}, /api/listings/listings/{id}).
 */
@ApiTags('Listings Exchange')
@ApiBearerAuth()
@Controller()
export class ListingUpdateController {
  constructor(private readonly bus: BusClient) {}

  @Patch(['listings/:listing_id', 'api/listings/:listing_id', 'api/listings/listings/:listing_id'])
  @ApiOperation({ summary: 'Add wants/offers, change and remove items of your listing in one transaction' })
  update(@Ctx() ctx: RpcContext, @Param('listing_id', idParam('listing_id')) listingId: number, @Query() query: OwnerQuery, @Body() body: UpdateListingRequest) {
    return this.bus.send(RpcSubjects.listingsUpdate, { ...body, listing_id: listingId, user_id: query.user_id }, ctx);
  }
}
