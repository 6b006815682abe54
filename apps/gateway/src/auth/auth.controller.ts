import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ChangePasswordRequest, DomainError, ErrorType, LoginRequest, RegisterRequest, RpcSubjects, type RpcContext } from '@app/contracts';
import { BusClient } from '@app/messaging';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { Ctx, Public, type GatewayRequest } from './caller';
import { AuthRateLimits } from './rate-limits';
import { clearRefreshCookie, publicTokens, REFRESH_COOKIE, setRefreshCookie } from './refresh-cookie';

@ApiTags('Authentication')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly bus: BusClient,
    private readonly limits: AuthRateLimits,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  @Public()
  @Post('register')
  @HttpCode(200)
  @ApiOperation({ summary: 'Register and log in; the refresh token is set as an HttpOnly cookie' })
  async register(@Ctx() ctx: RpcContext, @Body() body: RegisterRequest, @Res({ passthrough: true }) res: Response) {
    const result = await this.bus.send(RpcSubjects.identityAuthRegister, body, ctx);
    setRefreshCookie(res, result.tokens, this.config.COOKIE_SECURE);
    return { id: result.user.id, user: result.user, ...publicTokens(result.tokens) };
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiConsumes('application/json', 'application/x-www-form-urlencoded')
  @ApiOperation({ summary: 'Log in with username or email (JSON) or email/identifier (form)' })
  async login(@Ctx() ctx: RpcContext, @Body() body: LoginRequest, @Req() req: GatewayRequest, @Res({ passthrough: true }) res: Response) {
    const address = req.ip ?? 'unknown';
    await this.limits.assertLoginAllowed(address);
    try {
      const result = await this.bus.send(RpcSubjects.identityAuthLogin, body, ctx);
      setRefreshCookie(res, result.tokens, this.config.COOKIE_SECURE);
      return { ...publicTokens(result.tokens), user: result.user };
    } catch (error) {
      if (error instanceof DomainError && error.errorType === ErrorType.unauthorized) await this.limits.recordFailedLogin(address);
      throw error;
    }
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiCookieAuth(REFRESH_COOKIE)
  @ApiOperation({ summary: 'Rotate the refresh cookie and get a new access token' })
  async refresh(@Ctx() ctx: RpcContext, @Req() req: GatewayRequest, @Res({ passthrough: true }) res: Response) {
    const token = (req.cookies as Record<string, string> | undefined)?.[REFRESH_COOKIE];
    if (!token) throw DomainError.unauthorized('No refresh token cookie');
    try {
      const result = await this.bus.send(RpcSubjects.identityAuthRefresh, { refresh_token: token }, ctx);
      setRefreshCookie(res, result.tokens, this.config.COOKIE_SECURE);
      return publicTokens(result.tokens);
    } catch (error) {
      if (error instanceof DomainError && error.errorType === ErrorType.unauthorized) clearRefreshCookie(res, this.config.COOKIE_SECURE);
      throw error;
    }
  }

  @Public()
  @Post('logout')
  @HttpCode(200)
  @ApiOperation({ summary: 'End this session and clear the refresh cookie' })
  async logout(@Ctx() ctx: RpcContext, @Req() req: GatewayRequest, @Res({ passthrough: true }) res: Response) {
    const token = (req.cookies as Record<string, string> | undefined)?.[REFRESH_COOKIE];
    const result = await this.bus.send(RpcSubjects.identityAuthLogout, token ? { refresh_token: token } : {}, ctx);
    clearRefreshCookie(res, this.config.COOKIE_SECURE);
    return result;
  }

  @Post('change-password')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Change password; every session is revoked' })
  async changePassword(@Ctx() ctx: RpcContext, @Body() body: ChangePasswordRequest, @Res({ passthrough: true }) res: Response) {
    const result = await this.bus.send(RpcSubjects.identityAuthChangePassword, body, ctx);
    clearRefreshCookie(res, this.config.COOKIE_SECURE);
    return result;
  }

  @Post('revoke-sessions')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Revoke every refresh token of the caller' })
  async revokeSessions(@Ctx() ctx: RpcContext, @Res({ passthrough: true }) res: Response) {
    const result = await this.bus.send(RpcSubjects.identityAuthRevokeSessions, {}, ctx);
    clearRefreshCookie(res, this.config.COOKIE_SECURE);
    return result;
  }

  @Public()
  @Get('me')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The caller, or {user: null, authenticated: false}; always 200' })
  async me(@Ctx() ctx: RpcContext) {
    if (!ctx.caller) return { user: null, authenticated: false };
    return this.bus.send(RpcSubjects.identityAuthMe, {}, ctx);
  }
}
