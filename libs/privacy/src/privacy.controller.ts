import { AuthUser, CurrentUser, Roles } from '@app/identity';
import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import type { Response } from 'express';
import { PrivacyService } from './privacy.service';

class AnonymiseDto {
  @ApiProperty({
    description: "the person's e-mail address, typed again: a safeguard against the wrong person",
  })
  @IsString()
  @MaxLength(320)
  confirm!: string;
}

@ApiTags('privacy')
@ApiBearerAuth()
@Controller('admin/users/:id')
export class PrivacyController {
  constructor(private readonly privacy: PrivacyService) {}

  @Roles('admin')
  @Get('personal-data')
  @Header('Cache-Control', 'private, no-store')
  @ApiOperation({
    summary:
      "One person's data as JSON: profile, tickets raised (with the conversation and targets), messages and mails written, files, audit entries about them (audited)",
  })
  async exportJson(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() me: AuthUser) {
    return (await this.privacy.exportOf(me, id)).doc;
  }

  @Roles('admin')
  @Get('personal-data.zip')
  @ApiOperation({
    summary: "The same document as person.json with the person's files, as a ZIP (audited)",
  })
  async exportZip(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentUser() me: AuthUser,
    @Res() res: Response,
  ) {
    const zip = await this.privacy.exportZip(me, id);
    res.setHeader('Content-Type', 'application/zip');
    res.setHeader('Content-Disposition', `attachment; filename="personal-data-${id}.zip"`);
    res.setHeader('Cache-Control', 'private, no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.end(Buffer.from(zip));
  }

  @Roles('admin')
  @Post('anonymise')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Anonymises the person: name, e-mail and their free text replaced, their files deleted, sessions ended; ticket metadata kept (audited)',
  })
  anonymise(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: AnonymiseDto,
    @CurrentUser() me: AuthUser,
  ) {
    return this.privacy.anonymise(me, id, dto.confirm);
  }
}
