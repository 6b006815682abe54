import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ChangePasswordRequest, LoginRequest, LogoutCommand, RefreshCommand, RegisterRequest, RpcSubjects, type RpcContext } from '@app/contracts';
import { RpcHandler } from '@app/messaging';
import { AuthService } from './auth.service';

@Controller()
export class AuthHandler {
  constructor(private readonly auth: AuthService) {}

  @RpcHandler(RpcSubjects.identityAuthRegister)
  register(@Payload('ctx') ctx: RpcContext, @Payload('data') data: RegisterRequest) {
    return this.auth.register(ctx, data);
  }

  @RpcHandler(RpcSubjects.identityAuthLogin)
  login(@Payload('ctx') ctx: RpcContext, @Payload('data') data: LoginRequest) {
    return this.auth.login(ctx, data);
  }

  @RpcHandler(RpcSubjects.identityAuthRefresh)
  refresh(@Payload('data') data: RefreshCommand) {
    return this.auth.refresh(data.refresh_token);
  }

  @RpcHandler(RpcSubjects.identityAuthLogout)
  logout(@Payload('ctx') ctx: RpcContext, @Payload('data') data: LogoutCommand) {
    return this.auth.logout(ctx, data.refresh_token);
  }

  @RpcHandler(RpcSubjects.identityAuthChangePassword)
  changePassword(@Payload('ctx') ctx: RpcContext, @Payload('data') data: ChangePasswordRequest) {
    return this.auth.changePassword(ctx, data);
  }

  @RpcHandler(RpcSubjects.identityAuthRevokeSessions)
  revokeSessions(@Payload('ctx') ctx: RpcContext) {
    return this.auth.revokeSessions(ctx);
  }

  @RpcHandler(RpcSubjects.identityAuthMe)
  me(@Payload('ctx') ctx: RpcContext) {
    return this.auth.me(ctx);
  }
}
