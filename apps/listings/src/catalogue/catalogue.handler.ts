import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { CatalogueQuery, CategoriesByTypeRequest, RpcSubjects } from '@app/contracts';
import { RpcHandler } from '@app/messaging';
import { CatalogueService } from './catalogue.service';

/** NATS adapter for the category catalogue. */
@Controller()
export class CatalogueHandler {
  constructor(private readonly catalogue: CatalogueService) {}

  @RpcHandler(RpcSubjects.listingsCatalogueGet)
  get(@Payload('data') data: CatalogueQuery) {
    return this.catalogue.view(data.version);
  }

  @RpcHandler(RpcSubjects.listingsCategoriesByType)
  byType(@Payload('data') data: CategoriesByTypeRequest) {
    return this.catalogue.categories(data.exchange_type, data.version);
  }

  @RpcHandler(RpcSubjects.listingsCategoryGroups)
  groups(@Payload('data') data: CategoriesByTypeRequest) {
    return this.catalogue.groups(data.exchange_type, data.version);
  }
}
