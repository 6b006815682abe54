import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  ChainActionRequest,
  ChainsListQuery,
  ConfirmQuery,
  DiscoverChainsRequest,
  HistoryExportQuery,
  HistoryQuery,
  RpcSubjects,
  RunPipelineRequest,
  TestFlowRequest,
  type RpcContext,
} from '@app/contracts';
import { BusClient } from '@app/messaging';
import { Ctx } from '../auth/caller';
import { idParam } from '../http/id-param';

@ApiTags('Matching')
@ApiBearerAuth()
@Controller('api/matching')
export class MatchingController {
  constructor(private readonly bus: BusClient) {}

  @Post('run-pipeline')
  @HttpCode(200)
  @ApiOperation({ summary: 'Run a matching pass: for yourself (user_id = your id), or for everyone (user_id null, staff only)' })
  run(@Ctx() ctx: RpcContext, @Body() body: RunPipelineRequest) {
    return this.bus.send(RpcSubjects.matchingPipelineRun, body, ctx);
  }

  @Get('status')
  @ApiOperation({ summary: 'Live proposals, participants notified and the last run' })
  status(@Ctx() ctx: RpcContext) {
    return this.bus.send(RpcSubjects.matchingPipelineStatus, {}, ctx);
  }

  @Post('test-flow')
  @HttpCode(200)
  @ApiOperation({ summary: 'Run a sample scenario on a throw-away engine (never touches real data)' })
  testFlow(@Ctx() ctx: RpcContext, @Body() body: TestFlowRequest) {
    return this.bus.send(RpcSubjects.matchingTestFlow, body, ctx);
  }
}

@ApiTags('Exchange Chains')
@ApiBearerAuth()
@Controller('api/chains')
export class ChainsController {
  constructor(private readonly bus: BusClient) {}

  @Post('discover')
  @HttpCode(200)
  @ApiOperation({ summary: 'Run chain discovery and list the live chains within the size range' })
  discover(@Ctx() ctx: RpcContext, @Body() body: DiscoverChainsRequest) {
    return this.bus.send(RpcSubjects.matchingChainsDiscover, body, ctx);
  }

  @Get('discover')
  @ApiOperation({ summary: 'Same as POST (the original client’s path)' })
  discoverGet(@Ctx() ctx: RpcContext, @Query() query: DiscoverChainsRequest) {
    return this.bus.send(RpcSubjects.matchingChainsDiscover, query, ctx);
  }

  @Get('all')
  @ApiOperation({ summary: 'Every exchange chain, newest first' })
  all(@Ctx() ctx: RpcContext, @Query() query: ChainsListQuery) {
    return this.bus.send(RpcSubjects.matchingChainsList, query, ctx);
  }

  @Get('user/:user_id')
  @ApiOperation({ summary: 'Your chains (staff: anyone’s)' })
  ofUser(@Ctx() ctx: RpcContext, @Param('user_id', idParam('user_id')) userId: number, @Query() query: ChainsListQuery) {
    return this.bus.send(RpcSubjects.matchingChainsOfUser, { ...query, user_id: userId }, ctx);
  }

  @Post(':chain_id/accept')
  @HttpCode(200)
  @ApiOperation({ summary: 'Accept a proposed chain (or bilateral exchange) you take part in' })
  accept(@Ctx() ctx: RpcContext, @Param('chain_id') chainId: string, @Body() body: ChainActionRequest) {
    return this.bus.send(RpcSubjects.matchingChainsAccept, { ...body, chain_id: chainId }, ctx);
  }

  @Post(':chain_id/decline')
  @HttpCode(200)
  @ApiOperation({ summary: 'Decline a proposed chain you take part in (cancels it)' })
  decline(@Ctx() ctx: RpcContext, @Param('chain_id') chainId: string, @Body() body: ChainActionRequest) {
    return this.bus.send(RpcSubjects.matchingChainsDecline, { ...body, chain_id: chainId }, ctx);
  }
}

/** `POST /exchanges/{id}/confirm`, also at the original client's paths. */
@ApiTags('Exchange Confirmation')
@ApiBearerAuth()
@Controller()
export class ExchangeConfirmController {
  constructor(private readonly bus: BusClient) {}

  @Post(['exchanges/:exchange_id/confirm', 'api/exchanges/:exchange_id/confirm', 'api/listings/exchanges/:exchange_id/confirm'])
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirm the exchange happened; when everyone confirmed it completes and its items are archived' })
  confirm(@Ctx() ctx: RpcContext, @Param('exchange_id') exchangeId: string, @Query() query: ConfirmQuery) {
    return this.bus.send(RpcSubjects.matchingExchangesConfirm, { ...query, exchange_id: exchangeId }, ctx);
  }
}

@ApiTags('User Cabinet')
@ApiBearerAuth()
@Controller('user')
export class UserExchangesController {
  constructor(private readonly bus: BusClient) {}

  @Get('exchanges')
  @ApiOperation({ summary: 'Your live bilateral matches and chains' })
  exchanges(@Ctx() ctx: RpcContext) {
    return this.bus.send(RpcSubjects.matchingExchangesListMine, {}, ctx);
  }
}

@ApiTags('Exchange History')
@ApiBearerAuth()
@Controller('api/history')
export class HistoryController {
  constructor(private readonly bus: BusClient) {}

  @Get('my-exchanges')
  @ApiOperation({ summary: 'Your exchanges (status COMPLETED | ACTIVE | CANCELLED), newest first' })
  mine(@Ctx() ctx: RpcContext, @Query() query: HistoryQuery) {
    return this.bus.send(RpcSubjects.matchingHistoryList, query, ctx);
  }

  @Get('my-exchanges/export')
  @ApiOperation({ summary: 'Download your exchange history as CSV or JSON' })
  async export(@Ctx() ctx: RpcContext, @Query() query: HistoryExportQuery, @Res({ passthrough: true }) res: Response) {
    const file = await this.bus.send(RpcSubjects.matchingHistoryExport, query, ctx);
    res.setHeader('Content-Type', file.content_type);
    res.setHeader('Content-Disposition', `attachment; filename="${file.filename}"`);
    return file.content;
  }

  @Get('exchanges/:exchange_id')
  @ApiOperation({ summary: 'One exchange with its timeline (participants only)' })
  one(@Ctx() ctx: RpcContext, @Param('exchange_id') exchangeId: string) {
    return this.bus.send(RpcSubjects.matchingHistoryGet, { exchange_id: exchangeId }, ctx);
  }
}

export const MATCHING_CONTROLLERS = [MatchingController, ChainsController, ExchangeConfirmController, UserExchangesController, HistoryController];
