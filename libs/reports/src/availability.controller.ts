import { AuthUser, CurrentUser, Roles } from '@app/identity';
import {
  Body,
  Controller,
  Get,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AvailabilityService } from './availability.service';
import {
  AvailabilityQuery,
  ContractTermsDto,
  IncidentCorrectionDto,
  MaintenanceCorrectionDto,
  NewMaintenanceDto,
  NewOutageDto,
  RestorationDto,
} from './dto';

/** Incidents, outages and planned maintenance: the record of downtime the reports read. */
@ApiTags('availability')
@ApiBearerAuth()
@Controller()
export class AvailabilityController {
  constructor(private readonly availability: AvailabilityService) {}

  /** An agent records that service was restored on a Severity 1 ticket (kept in the ticket's history). */
  @Roles('agent', 'manager', 'admin')
  @Post('tickets/:id/restoration')
  restoration(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: RestorationDto,
  ) {
    return this.availability.recordRestoration(user, id, body.restoredAt, body.reason);
  }

  /** An admin corrects the start or the restoration of a ticket's incident, with a reason. */
  @Roles('admin')
  @Patch('tickets/:id/incident')
  correctTicketIncident(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: IncidentCorrectionDto,
  ) {
    return this.availability.correctTicketIncident(user, id, body);
  }

  /** Outages and ticket incidents (of an organisation, with those of every organisation), with their corrections. */
  @Roles('agent', 'manager', 'admin')
  @Get('outages')
  outages(@Query() q: AvailabilityQuery) {
    return this.availability.outages({ organizationId: q.organizationId });
  }

  /** An admin records an outage without a ticket. */
  @Roles('admin')
  @Post('outages')
  createOutage(@CurrentUser() user: AuthUser, @Body() body: NewOutageDto) {
    return this.availability.createOutage(user, body);
  }

  @Roles('admin')
  @Patch('outages/:id')
  correctOutage(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: IncidentCorrectionDto,
  ) {
    return this.availability.correctOutage(user, id, body);
  }

  @Roles('agent', 'manager', 'admin')
  @Get('maintenance-windows')
  windows(@Query() q: AvailabilityQuery) {
    return this.availability.windows({ organizationId: q.organizationId });
  }

  /** An admin records a planned maintenance window: the announced start and end, and when it was announced. */
  @Roles('admin')
  @Post('maintenance-windows')
  createWindow(@CurrentUser() user: AuthUser, @Body() body: NewMaintenanceDto) {
    return this.availability.createMaintenance(user, body);
  }

  /** Corrects the window or when the work actually started and ended, with a reason. */
  @Roles('admin')
  @Patch('maintenance-windows/:id')
  correctWindow(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: MaintenanceCorrectionDto,
  ) {
    return this.availability.correctMaintenance(user, id, body);
  }

  /** The policy's contract terms (availability goal, operating time, maintenance notice and cap, service goals). */
  @Roles('agent', 'manager', 'admin')
  @Get('policies/:id/contract-terms')
  terms(@Param('id', ParseUUIDPipe) id: string) {
    return this.availability.terms(id);
  }

  @Roles('admin')
  @Put('policies/:id/contract-terms')
  saveTerms(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ContractTermsDto,
  ) {
    return this.availability.saveTerms(user, id, body.terms);
  }
}
