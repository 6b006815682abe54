import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CreateUserRequest, RpcSubjects, UpdateLocationsRequest, UpdateProfileRequest, type RpcContext } from '@app/contracts';
import { BusClient } from '@app/messaging';
import { Inject } from '@nestjs/common';
import { Ctx, Public } from '../auth/caller';
import { idParam } from '../http/id-param';
import { DenyList } from '../auth/deny-list';
import { clearRefreshCookie } from '../auth/refresh-cookie';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';

@ApiTags('Users')
@Controller('api/users')
export class UsersController {
  constructor(private readonly bus: BusClient) {}

  @Post()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Create a user without a password (staff only); people register at /auth/register' })
  create(@Ctx() ctx: RpcContext, @Body() body: CreateUserRequest) {
    return this.bus.send(RpcSubjects.identityUsersCreate, body, ctx);
  }

  @Public()
  @Get('username/:username')
  @ApiOperation({ summary: 'Public profile by username (email and phone for the user and staff only)' })
  byUsername(@Ctx() ctx: RpcContext, @Param('username') username: string) {
    return this.bus.send(RpcSubjects.identityUsersGetByUsername, { username }, ctx);
  }

  @Public()
  @Get(':user_id')
  @ApiOperation({ summary: 'Public profile by id (email and phone for the user and staff only)' })
  get(@Ctx() ctx: RpcContext, @Param('user_id', idParam('user_id')) id: number) {
    return this.bus.send(RpcSubjects.identityUsersGet, { user_id: id }, ctx);
  }

  @Put(':user_id/locations')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Set 1–3 cities (the user themselves only)' })
  locations(@Ctx() ctx: RpcContext, @Param('user_id', idParam('user_id')) id: number, @Body() body: UpdateLocationsRequest) {
    return this.bus.send(RpcSubjects.identityUsersUpdateLocations, { user_id: id, locations: body.locations }, ctx);
  }
}

@ApiTags('User Cabinet')
@ApiBearerAuth()
@Controller('user')
export class UserCabinetController {
  constructor(
    private readonly bus: BusClient,
    private readonly denyList: DenyList,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  @Put('profile')
  @ApiOperation({ summary: 'Update full_name, bio, city, telegram_contact' })
  async profile(@Ctx() ctx: RpcContext, @Body() body: UpdateProfileRequest) {
    const user = await this.bus.send(RpcSubjects.identityUsersUpdateProfile, body, ctx);
    return { message: 'Profile updated successfully', user };
  }

  @Delete('account')
  @HttpCode(200)
  @ApiOperation({ summary: 'Delete the account: data erased, sessions ended, tokens refused at once' })
  async deleteAccount(@Ctx() ctx: RpcContext, @Res({ passthrough: true }) res: Response) {
    const result = await this.bus.send(RpcSubjects.identityUsersDeleteAccount, {}, ctx);
    // This replica refuses the tokens now; the others learn it from identity's event.
    if (ctx.caller) this.denyList.deny(ctx.caller.id);
    clearRefreshCookie(res, this.config.COOKIE_SECURE);
    return result;
  }
}
