import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  CreateUserRequest,
  RpcSubjects,
  SetActiveCommand,
  UpdateLocationsCommand,
  UpdateProfileRequest,
  UserIdRequest,
  UsernameRequest,
  type RpcContext,
} from '@app/contracts';
import { RpcHandler } from '@app/messaging';
import { UsersService } from './users.service';

/** NATS adapter: validates (global pipe), then one service call each. */
@Controller()
export class UsersHandler {
  constructor(private readonly users: UsersService) {}

  @RpcHandler(RpcSubjects.identityUsersCreate)
  create(@Payload('ctx') ctx: RpcContext, @Payload('data') data: CreateUserRequest) {
    return this.users.create(ctx.caller, data);
  }

  @RpcHandler(RpcSubjects.identityUsersGet)
  get(@Payload('ctx') ctx: RpcContext, @Payload('data') data: UserIdRequest) {
    return this.users.get(ctx.caller, data.user_id);
  }

  @RpcHandler(RpcSubjects.identityUsersGetByUsername)
  getByUsername(@Payload('ctx') ctx: RpcContext, @Payload('data') data: UsernameRequest) {
    return this.users.getByUsername(ctx.caller, data.username);
  }

  @RpcHandler(RpcSubjects.identityUsersUpdateLocations)
  updateLocations(@Payload('ctx') ctx: RpcContext, @Payload('data') data: UpdateLocationsCommand) {
    return this.users.updateLocations(ctx.caller, data.user_id, data.locations);
  }

  @RpcHandler(RpcSubjects.identityUsersUpdateProfile)
  updateProfile(@Payload('ctx') ctx: RpcContext, @Payload('data') data: UpdateProfileRequest) {
    return this.users.updateProfile(ctx.caller, data);
  }

  @RpcHandler(RpcSubjects.identityUsersDeleteAccount)
  deleteAccount(@Payload('ctx') ctx: RpcContext) {
    return this.users.deleteAccount(ctx.caller);
  }

  @RpcHandler(RpcSubjects.identityUsersSetActive)
  setActive(@Payload('ctx') ctx: RpcContext, @Payload('data') data: SetActiveCommand) {
    return this.users.setActive(ctx.caller, data);
  }
}
