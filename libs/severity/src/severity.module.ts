import { Global, Module } from '@nestjs/common';
import { SeverityController } from './controllers';
import { PoliciesService } from './policies.service';

@Global()
@Module({ providers: [PoliciesService], exports: [PoliciesService] })
export class SeverityCoreModule {}

@Module({ imports: [SeverityCoreModule], controllers: [SeverityController] })
export class SeverityModule {}
