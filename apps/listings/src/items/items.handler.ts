import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  CreateByCategoriesRequest,
  CreateItemRequest,
  ListItemsCommand,
  MyItemsQuery,
  RpcSubjects,
  UpdateListingCommand,
  type RpcContext,
} from '@app/contracts';
import { RpcHandler } from '@app/messaging';
import { ItemsService } from './items.service';

/** NATS adapter: validates (global pipe), then one service call each. */
@Controller()
export class ItemsHandler {
  constructor(private readonly items: ItemsService) {}

  @RpcHandler(RpcSubjects.listingsCreateByCategories)
  createByCategories(@Payload('ctx') ctx: RpcContext, @Payload('data') data: CreateByCategoriesRequest) {
    return this.items.createByCategories(ctx.caller, data);
  }

  @RpcHandler(RpcSubjects.listingsItemsCreate)
  create(@Payload('ctx') ctx: RpcContext, @Payload('data') data: CreateItemRequest) {
    return this.items.createItem(ctx.caller, data);
  }

  @RpcHandler(RpcSubjects.listingsUpdate)
  update(@Payload('ctx') ctx: RpcContext, @Payload('data') data: UpdateListingCommand) {
    return this.items.update(ctx.caller, data);
  }

  @RpcHandler(RpcSubjects.listingsItemsList)
  list(@Payload('data') data: ListItemsCommand) {
    return this.items.list(data);
  }

  @RpcHandler(RpcSubjects.listingsItemsListMine)
  listMine(@Payload('ctx') ctx: RpcContext, @Payload('data') data: MyItemsQuery) {
    return this.items.listMine(ctx.caller, data);
  }
}
