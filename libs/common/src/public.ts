import { SetMetadata } from '@nestjs/common';

export const PUBLIC_ROUTE = 'freemarket:public';
/** The route works without a token (a valid token still identifies the caller). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);
