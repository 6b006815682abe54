import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/caller';

@ApiTags('Health')
@Public()
@Controller()
export class HealthController {
  @Get('health')
  @ApiOperation({ summary: 'Is the API running' })
  health() {
    return { status: 'ok', message: 'FreeMarket API is running' };
  }

  @Get()
  @ApiOperation({ summary: 'API information' })
  root() {
    return { message: 'FreeMarket API', version: '1.0.0' };
  }
}
