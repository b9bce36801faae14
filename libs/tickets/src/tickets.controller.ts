import { AuthUser, CurrentUser } from '@app/identity';
import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AddMessageDto, CreateTicketDto, ListTicketsQuery, UpdateTicketDto } from './dto';
import { TicketsQuery } from './tickets.query';
import { TicketsService } from './tickets.service';

@ApiTags('tickets')
@ApiBearerAuth()
@Controller('tickets')
export class TicketsController {
  constructor(
    private readonly tickets: TicketsService,
    private readonly query: TicketsQuery,
  ) {}

  /** 201 with `{id, reference, status, severity, supportLevel, receivedAt, targets: [{metric, dueAt, warningAt, state}], …}`. */
  @Post()
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateTicketDto) {
    return this.tickets.create(user, dto);
  }

  @Get()
  list(@CurrentUser() user: AuthUser, @Query() q: ListTicketsQuery) {
    return this.query.list(user, q);
  }

  @Get('by-reference/:reference')
  byReference(@CurrentUser() user: AuthUser, @Param('reference') ref: string) {
    return this.tickets.findByReference(user, ref);
  }

  @Get(':id')
  get(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.tickets.get(user, id);
  }

  @Patch(':id')
  update(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateTicketDto,
  ) {
    return this.tickets.update(user, id, dto);
  }

  @Post(':id/messages')
  addMessage(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: AddMessageDto,
  ) {
    return this.tickets.addMessage(user, id, dto);
  }
}
