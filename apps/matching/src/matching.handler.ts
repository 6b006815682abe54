import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  ChainActionCommand,
  ChainsListQuery,
  ChainsOfUserCommand,
  ConfirmExchangeCommand,
  DiscoverChainsRequest,
  ExchangeIdCommand,
  HistoryExportQuery,
  HistoryQuery,
  RpcSubjects,
  RunPipelineRequest,
  TestFlowRequest,
  type RpcContext,
} from '@app/contracts';
import { RpcHandler } from '@app/messaging';
import { ChainsService } from './chains/chains.service';
import { ExchangesService } from './exchanges/exchanges.service';
import { HistoryService } from './history/history.service';
import { PipelineService } from './pipeline/pipeline.service';

/** NATS adapter: validates (global pipe), then one service call each. */
@Controller()
export class MatchingHandler {
  constructor(
    private readonly exchanges: ExchangesService,
    private readonly chains: ChainsService,
    private readonly history: HistoryService,
    private readonly pipeline: PipelineService,
  ) {}

  @RpcHandler(RpcSubjects.matchingExchangesListMine)
  listMine(@Payload('ctx') ctx: RpcContext) {
    return this.exchanges.listMine(ctx.caller);
  }

  @RpcHandler(RpcSubjects.matchingExchangesConfirm)
  confirm(@Payload('ctx') ctx: RpcContext, @Payload('data') data: ConfirmExchangeCommand) {
    return this.exchanges.confirm(ctx.caller, data);
  }

  @RpcHandler(RpcSubjects.matchingChainsAccept)
  accept(@Payload('ctx') ctx: RpcContext, @Payload('data') data: ChainActionCommand) {
    return this.exchanges.accept(ctx.caller, data);
  }

  @RpcHandler(RpcSubjects.matchingChainsDecline)
  decline(@Payload('ctx') ctx: RpcContext, @Payload('data') data: ChainActionCommand) {
    return this.exchanges.decline(ctx.caller, data);
  }

  @RpcHandler(RpcSubjects.matchingChainsDiscover)
  discover(@Payload('ctx') ctx: RpcContext, @Payload('data') data: DiscoverChainsRequest) {
    return this.chains.discover(ctx.caller, data);
  }

  @RpcHandler(RpcSubjects.matchingChainsList)
  chainsList(@Payload('data') data: ChainsListQuery) {
    return this.chains.list(data);
  }

  @RpcHandler(RpcSubjects.matchingChainsOfUser)
  chainsOfUser(@Payload('ctx') ctx: RpcContext, @Payload('data') data: ChainsOfUserCommand) {
    return this.chains.ofUser(ctx.caller, data);
  }

  @RpcHandler(RpcSubjects.matchingHistoryList)
  historyList(@Payload('ctx') ctx: RpcContext, @Payload('data') data: HistoryQuery) {
    return this.history.list(ctx.caller, data);
  }

  @RpcHandler(RpcSubjects.matchingHistoryGet)
  historyGet(@Payload('ctx') ctx: RpcContext, @Payload('data') data: ExchangeIdCommand) {
    return this.history.get(ctx.caller, data.exchange_id);
  }

  @RpcHandler(RpcSubjects.matchingHistoryExport)
  historyExport(@Payload('ctx') ctx: RpcContext, @Payload('data') data: HistoryExportQuery) {
    return this.history.export(ctx.caller, data);
  }

  @RpcHandler(RpcSubjects.matchingPipelineRun)
  run(@Payload('ctx') ctx: RpcContext, @Payload('data') data: RunPipelineRequest) {
    return this.pipeline.run(ctx.caller, data);
  }

  @RpcHandler(RpcSubjects.matchingPipelineStatus)
  status() {
    return this.pipeline.status();
  }

  @RpcHandler(RpcSubjects.matchingTestFlow)
  testFlow(@Payload('data') data: TestFlowRequest) {
    return this.pipeline.testFlow(data);
  }
}
